import { describe, expect, it } from 'vitest';
import { fromWireError, toWireError } from '../../../../shared/adapters/model/worker-messages.js';
import { AppError, BadRequestError, UnprocessableImageError } from '../../../../shared/errors.js';

/** What crosses the thread boundary is structured-cloned: the test clones it the same way. */
const acrossThreads = (error: unknown) => fromWireError(structuredClone(toWireError(error)));

describe('an error from a model worker', () => {
  it('keeps an AppError its status, code, details, class name and the worker stack', () => {
    const thrown = new UnprocessableImageError('CORRUPT_IMAGE', 'The image could not be decoded.');
    const rebuilt = acrossThreads(thrown);
    expect(rebuilt).toBeInstanceOf(AppError);
    expect(rebuilt).toMatchObject({
      status: 422,
      code: 'CORRUPT_IMAGE',
      message: 'The image could not be decoded.',
      name: 'UnprocessableImageError',
    });
    const detailed = acrossThreads(new BadRequestError('VALIDATION_FAILED', 'Invalid.', [{ path: 'topK' }]));
    expect(detailed).toMatchObject({ status: 400, details: [{ path: 'topK' }] });
    expect(rebuilt.stack).toContain(thrown.stack?.split('\n')[1]?.trim());
    expect(rebuilt.stack).toContain('thrown in a model worker thread');
  });

  it('keeps any other error its message, class name and stack, for the 500 line', () => {
    const thrown = new RangeError('offset out of bounds');
    const rebuilt = acrossThreads(thrown);
    expect(rebuilt).not.toBeInstanceOf(AppError);
    expect(rebuilt).toMatchObject({ name: 'RangeError', message: 'offset out of bounds' });
    expect(rebuilt.stack).toContain('RangeError: offset out of bounds');
  });

  it('turns a thrown non-error into a message', () => {
    expect(acrossThreads('plain text')).toMatchObject({ name: 'Error', message: 'plain text' });
  });
});

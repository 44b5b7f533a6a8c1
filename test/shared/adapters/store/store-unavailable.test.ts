import pg from 'pg';
import { describe, expect, it } from 'vitest';
import {
  isStoreUnavailable,
  StoreConnectionError,
} from '../../../../shared/adapters/store/store-unavailable.js';
import { BadRequestError, ServiceUnavailableError } from '../../../../shared/errors.js';

/** What PostgreSQL reports, as node-postgres hands it over. */
const serverError = (code: string) =>
  Object.assign(new pg.DatabaseError('from the server', 0, 'error'), { code });
/** A Node system error, as a socket raises it. */
const systemError = (code: string) =>
  Object.assign(new Error(`connect ${code}`), { code, syscall: 'connect' });
/** An AWS SDK error, by name and HTTP status. */
const sdkError = (name: string, status?: number) =>
  Object.assign(new Error('from the SDK'), { name, $metadata: { httpStatusCode: status } });

describe('isStoreUnavailable', () => {
  it.each(['08000', '08001', '08003', '08006', '57P01', '57P02', '57P03', '53300', '57014'])(
    'takes SQLSTATE %s for an outage',
    (code) => {
      expect(isStoreUnavailable(serverError(code))).toBe(true);
    },
  );

  it.each(['23505', '42P01', '28P01', '22021', '40001', '0A000'])(
    'takes SQLSTATE %s for an error of the statement or its caller',
    (code) => {
      expect(isStoreUnavailable(serverError(code))).toBe(false);
    },
  );

  it.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'EAI_AGAIN'])(
    "takes Node's %s for an outage",
    (code) => {
      expect(isStoreUnavailable(systemError(code))).toBe(true);
    },
  );

  it('takes a StoreConnectionError for an outage, whatever its cause', () => {
    expect(isStoreUnavailable(new StoreConnectionError(new Error('Query read timeout')))).toBe(true);
    expect(isStoreUnavailable(new StoreConnectionError(undefined))).toBe(true);
  });

  it.each([
    ['DatabaseResumingException', 400],
    ['StatementTimeoutException', 400],
    ['ThrottlingException', 429],
    ['ServiceUnavailableError', 503],
    ['DatabaseUnavailableException', 504],
    ['InternalServerErrorException', 500],
    ['TimeoutError', undefined],
  ])('takes the SDK error %s (%s) for an outage', (name, status) => {
    expect(isStoreUnavailable(sdkError(name, status))).toBe(true);
  });

  it.each([
    ['BadRequestException', 400],
    ['ForbiddenException', 403],
    ['NotFoundException', 404],
  ])('takes the SDK error %s (%s) for an error of the call', (name, status) => {
    expect(isStoreUnavailable(sdkError(name, status))).toBe(false);
  });

  it('never reads a message: the text of an outage on a plain Error is not one', () => {
    for (const message of ['Connection terminated unexpectedly', 'Query read timeout', 'PGlite is closed']) {
      expect(isStoreUnavailable(new Error(message))).toBe(false);
    }
  });

  it("leaves the API's own errors alone, even the one named like the SDK's 503", () => {
    expect(isStoreUnavailable(new ServiceUnavailableError('STORE_UNAVAILABLE', 'x'))).toBe(false);
    expect(isStoreUnavailable(new BadRequestError('VALIDATION_FAILED', 'x'))).toBe(false);
  });

  it('takes values that are not Errors for no outage', () => {
    for (const value of [undefined, null, 'ECONNRESET', { code: 'ECONNRESET' }]) {
      expect(isStoreUnavailable(value)).toBe(false);
    }
  });
});

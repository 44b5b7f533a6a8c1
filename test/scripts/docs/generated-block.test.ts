import { describe, expect, it } from 'vitest';
import { MissingMarkersError, readBlock, replaceBlock } from '../../../scripts/docs/generated-block.js';

const page = [
  '# Title',
  'prose before',
  '<!-- generated:t -->',
  'old',
  '<!-- /generated:t -->',
  'prose after',
].join('\n');

describe('a generated block between markers', () => {
  it('replaces only what lies between its markers, and a second run changes nothing', () => {
    const once = replaceBlock(page, 't', '| a |\n');
    expect(once).toBe(
      [
        '# Title',
        'prose before',
        '<!-- generated:t -->',
        '',
        '| a |',
        '',
        '<!-- /generated:t -->',
        'prose after',
      ].join('\n'),
    );
    expect(replaceBlock(once, 't', '| a |\n')).toBe(once);
    expect(readBlock(once, 't')).toBe('\n\n| a |\n\n');
  });

  it('refuses a file without the markers, or with them in the wrong order', () => {
    expect(() => replaceBlock('# no markers', 't', 'x')).toThrow(MissingMarkersError);
    expect(() => readBlock('<!-- /generated:t --> <!-- generated:t -->', 't')).toThrow(MissingMarkersError);
    expect(() => readBlock(page, 'other')).toThrow(MissingMarkersError);
  });
});

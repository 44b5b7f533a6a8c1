import { describe, expect, it } from 'vitest';
import { shellBlocks } from './shell-blocks.js';

describe('shellBlocks', () => {
  it('finds the sh and bash blocks in order, with the reason of a skip comment just above one', () => {
    const markdown = [
      '# Title',
      '<!-- readme-test: skip (starts a server) -->',
      '',
      '```sh',
      'npm start',
      '```',
      '```',
      'not shell',
      '```',
      '```ts',
      'const x = 1;',
      '```',
      'Text.',
      '```bash',
      'echo one',
      'echo two',
      '```',
    ].join('\n');
    expect(shellBlocks(markdown)).toEqual([
      { line: 4, code: 'npm start', skip: 'starts a server' },
      { line: 14, code: 'echo one\necho two' },
    ]);
  });

  it('refuses an unclosed block', () => {
    expect(() => shellBlocks('```sh\necho\n')).toThrow('unclosed code block at line 1');
  });
});

export interface ShellBlock {
  /** 1-based line of the opening fence. */
  line: number;
  code: string;
  /** Why the README test does not run it: `<!-- readme-test: skip (why) -->` just above the block. */
  skip?: string;
}

/** The ```sh blocks of a Markdown text, in order. */
export function shellBlocks(markdown: string): ShellBlock[] {
  const lines = markdown.split('\n');
  const blocks: ShellBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^(\s*)```(\w*)/.exec(lines[i] as string);
    if (!fence) continue;
    const end = lines.findIndex((line, j) => j > i && /^\s*```\s*$/.test(line));
    if (end === -1) throw new Error(`unclosed code block at line ${i + 1}`);
    if (fence[2] === 'sh' || fence[2] === 'bash') {
      const before = lines.slice(0, i).findLast((line) => line.trim() !== '') ?? '';
      const skip = /^<!-- readme-test: skip \((.+)\) -->$/.exec(before.trim())?.[1];
      blocks.push({ line: i + 1, code: lines.slice(i + 1, end).join('\n'), ...(skip ? { skip } : {}) });
    }
    i = end;
  }
  return blocks;
}

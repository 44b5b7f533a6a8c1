import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/fixtures.js';
import { anchorsOf, brokenLinks, missingNamedPaths } from './markdown-links.js';

async function documentation(): Promise<string[]> {
  const docs = (await readdir(path.join(repoRoot, 'docs'))).filter((f) => f.endsWith('.md'));
  return [
    path.join(repoRoot, 'README.md'),
    path.join(repoRoot, 'clients', 'typescript', 'README.md'),
    ...docs.map((f) => path.join(repoRoot, 'docs', f)),
  ];
}

describe('links in README.md, docs/*.md and the client package README', () => {
  it('every relative link and image points at an existing file, and every anchor at a heading', async () => {
    const files = await documentation();
    expect(files.length).toBeGreaterThan(5);
    const broken = files.flatMap(brokenLinks).map((b) => ({ ...b, file: path.relative(repoRoot, b.file) }));
    expect(broken).toEqual([]);
  });

  it('every file or folder of the repository named in code (`shared/http/pipeline.ts`) exists', async () => {
    const files = [...(await documentation()), path.join(repoRoot, 'functions', 'README.md')];
    const missing = files
      .flatMap((file) => missingNamedPaths(file, repoRoot))
      .map((m) => ({ ...m, file: path.relative(repoRoot, m.file) }));
    expect(missing).toEqual([]);
  });

  it('names a path in code as missing once its file is gone, and skips wildcards and prose', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pettracker-named-'));
    const page = path.join(dir, 'page.md');
    await writeFile(
      page,
      [
        'See `shared/http/pipeline.ts`, `shared/http/gone.ts` and `eb-compat/app.ts`.',
        'Not paths: `functions/runtime/…`, `test/**/*.test.ts`, `npm test`, `.data/pglite`.',
        '```',
        'shared/in/a/fence.ts',
        '```',
      ].join('\n'),
    );
    expect(missingNamedPaths(page, repoRoot).map((m) => m.target)).toEqual([
      'shared/http/gone.ts',
      'eb-compat/app.ts',
    ]);
  });

  it('reports a missing file, a missing anchor and an anchor into a folder, and ignores code and URLs', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pettracker-links-'));
    await writeFile(path.join(dir, 'other.md'), '# Other page\n\n## Deploy to `AWS` Lambda\n');
    const page = path.join(dir, 'page.md');
    await writeFile(
      page,
      [
        '# Page',
        '[ok](other.md) [ok](other.md#deploy-to-aws-lambda) [ok](#page) [ok](https://example.com/x.md)',
        '[missing](nowhere.md) [bad anchor](other.md#nothing) [folder](./#x) [self](#absent)',
        '`[in code](nowhere-either.md)`',
        '```',
        '[in a fence](nowhere-at-all.md)',
        '```',
      ].join('\n'),
    );
    expect(brokenLinks(page).map((b) => b.target)).toEqual([
      'nowhere.md',
      'other.md#nothing',
      './#x',
      '#absent',
    ]);
  });

  it('numbers repeated headings as GitHub does', () => {
    expect([...anchorsOf('# A\n## Lambda\n### Lambda\n## What it does: `x` (y)\n')]).toEqual([
      'a',
      'lambda',
      'lambda-1',
      'what-it-does-x-y',
    ]);
  });
});

import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface BrokenLink {
  file: string;
  target: string;
  reason: string;
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Lines outside fenced code blocks, with inline code spans blanked: links in code are not links. */
function proseLines(markdown: string): string[] {
  const lines: string[] = [];
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    else if (!fenced) lines.push(line.replace(/`[^`]*`/g, (code) => ' '.repeat(code.length)));
  }
  return lines;
}

export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading?.[1]) continue;
    const base = slug(heading[1].replace(/`/g, ''));
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** Relative links and images of a markdown file whose file or `#anchor` does not exist. */
export function brokenLinks(file: string): BrokenLink[] {
  const broken: BrokenLink[] = [];
  const text = readFileSync(file, 'utf8');
  for (const line of proseLines(text)) {
    for (const match of line.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      const target = match[1] as string;
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: …: not ours to check
      const [rawPath = '', anchor] = target.split('#', 2);
      const resolved = rawPath === '' ? file : path.resolve(path.dirname(file), decodeURI(rawPath));
      if (!existsSync(resolved)) {
        broken.push({ file, target, reason: 'no such file or folder' });
        continue;
      }
      if (anchor === undefined || anchor === '') continue;
      if (statSync(resolved).isDirectory() || !resolved.endsWith('.md')) {
        broken.push({ file, target, reason: 'an anchor into something that is not a markdown file' });
      } else if (!anchorsOf(readFileSync(resolved, 'utf8')).has(anchor)) {
        broken.push({ file, target, reason: `no heading with the anchor #${anchor}` });
      }
    }
  }
  return broken;
}

/** Top-level folders of code: a code span starting with one names a file or folder (models/ is also an S3 prefix). */
const REPO_FOLDERS = /^(shared|functions|eb-compat|cli|bench|tools|scripts|test|docs|migrations)\//;

/**
 * Paths of the repository a markdown file names in inline code (`shared/http/pipeline.ts`, resolved
 * from the repository's root) that do not exist. Spans with a wildcard, an ellipsis or a placeholder
 * (`functions/runtime/…`, `<folder>`) name no one file.
 */
export function missingNamedPaths(file: string, repoRoot: string): BrokenLink[] {
  const missing: BrokenLink[] = [];
  let fenced = false;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    if (fenced) continue;
    for (const match of line.matchAll(/`([^`\s]+)`/g)) {
      const named = match[1] as string;
      if (!REPO_FOLDERS.test(named) || /[*…<>{}$]/.test(named)) continue;
      if (!existsSync(path.join(repoRoot, named))) {
        missing.push({ file, target: named, reason: 'no such file or folder' });
      }
    }
  }
  return missing;
}

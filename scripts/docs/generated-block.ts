/**
 * A generated block inside a hand-written markdown file: everything between
 * `<!-- generated:NAME -->` and `<!-- /generated:NAME -->` belongs to a generator, the rest to people.
 * Markers, rather than a whole generated file, so the prose around a reference stays editable.
 */
export class MissingMarkersError extends Error {
  override name = 'MissingMarkersError';
}

function markers(name: string): { open: string; close: string } {
  return { open: `<!-- generated:${name} -->`, close: `<!-- /generated:${name} -->` };
}

function bounds(markdown: string, name: string): { start: number; end: number } {
  const { open, close } = markers(name);
  const start = markdown.indexOf(open);
  const end = markdown.indexOf(close);
  if (start < 0 || end < start) {
    throw new MissingMarkersError(`the file has no "${open}" … "${close}" pair`);
  }
  return { start: start + open.length, end };
}

/** The block's current content, as the file holds it. */
export function readBlock(markdown: string, name: string): string {
  const { start, end } = bounds(markdown, name);
  return markdown.slice(start, end);
}

/** `markdown` with the block's content replaced by `content` (framed by blank lines). */
export function replaceBlock(markdown: string, name: string, content: string): string {
  const { start, end } = bounds(markdown, name);
  return `${markdown.slice(0, start)}${framed(content)}${markdown.slice(end)}`;
}

/** What `replaceBlock` puts between the markers for `content`, to compare with `readBlock`. */
export function framed(content: string): string {
  return `\n\n${content.trimEnd()}\n\n`;
}

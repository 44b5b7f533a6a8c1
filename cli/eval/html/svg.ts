/** Text for HTML and SVG: labels come from folder and file names, which anyone may have chosen. */
export function esc(value: string | number): string {
  return String(value)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** Coordinates rounded to 0.1 px: smaller files, identical pictures. */
export const n1 = (value: number) => String(Math.round(value * 10) / 10);

/** An inline SVG figure with an accessible title; `id` lets tests and readers find each plot. */
export function figure(id: string, title: string, width: number, height: number, body: string): string {
  return (
    `<svg id="${esc(id)}" class="plot" role="img" aria-labelledby="${esc(id)}-title" ` +
    `viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">` +
    `<title id="${esc(id)}-title">${esc(title)}</title>${body}</svg>`
  );
}

export function text(
  x: number,
  y: number,
  content: string | number,
  attributes: Record<string, string | number> = {},
): string {
  const attrs = Object.entries(attributes)
    .map(([k, v]) => ` ${k}="${esc(v)}"`)
    .join('');
  return `<text x="${n1(x)}" y="${n1(y)}"${attrs}>${esc(content)}</text>`;
}

export function rect(x: number, y: number, width: number, height: number, cls: string, tip?: string): string {
  const title = tip === undefined ? '' : `<title>${esc(tip)}</title>`;
  return `<rect class="${cls}" x="${n1(x)}" y="${n1(y)}" width="${n1(Math.max(width, 0))}" height="${n1(Math.max(height, 0))}">${title}</rect>`;
}

export function line(x1: number, y1: number, x2: number, y2: number, cls: string): string {
  return `<line class="${cls}" x1="${n1(x1)}" y1="${n1(y1)}" x2="${n1(x2)}" y2="${n1(y2)}"/>`;
}

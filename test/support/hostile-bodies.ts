/** Request bodies for the hostile-input cases: multipart framings, whole and broken, and sized images. */

export const BOUNDARY = 'X';
export const MULTIPART = `multipart/form-data; boundary=${BOUNDARY}`;

/** One part: its header lines, a blank line, its content (no trailing CRLF: the next delimiter adds it). */
export function part(headers: readonly string[], content: Buffer | string): Buffer {
  return Buffer.concat([
    Buffer.from(`--${BOUNDARY}\r\n${headers.join('\r\n')}\r\n\r\n`),
    Buffer.from(content),
  ]);
}

/** Parts joined by delimiters and closed by the final one: a well-formed multipart body. */
export function form(...parts: Buffer[]): Buffer {
  const out: Buffer[] = [];
  for (const p of parts) out.push(p, Buffer.from('\r\n'));
  out.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(out);
}

export const fileHeaders = (name: string, type?: string, filename = 'a.jpg') => [
  `Content-Disposition: form-data; name="${name}"; filename="${filename}"`,
  ...(type === undefined ? [] : [`Content-Type: ${type}`]),
];

/**
 * The same JPEG grown to exactly `size` bytes with comment (COM) segments after its SOI marker: still
 * a valid JPEG that decodes to the same picture, so the size alone decides whether it is accepted.
 */
export function jpegOfSize(jpeg: Buffer, size: number): Buffer {
  let padding = size - jpeg.length;
  if (padding < 4) throw new Error(`cannot grow a ${jpeg.length}-byte JPEG to ${size} bytes`);
  const segments: Buffer[] = [];
  while (padding > 0) {
    // A segment is FF FE, a 2-byte length (counting itself, at most 65535), then its data.
    let total = Math.min(padding, 65_537);
    // Never leave a remainder too small to be a segment of its own.
    if (padding - total > 0 && padding - total < 4) total -= 4;
    const segment = Buffer.alloc(total, 0x20);
    segment[0] = 0xff;
    segment[1] = 0xfe;
    segment.writeUInt16BE(total - 2, 2);
    segments.push(segment);
    padding -= total;
  }
  return Buffer.concat([jpeg.subarray(0, 2), ...segments, jpeg.subarray(2)]);
}

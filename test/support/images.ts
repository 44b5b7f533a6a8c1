import sharp from 'sharp';

/** A real JPEG of a given size with some structure, so decoding and resizing do real work. */
export async function makeJpeg(width = 320, height = 240, quality = 85): Promise<Buffer> {
  const channels = 3;
  const pixels = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * channels;
      pixels[i] = (x * 255) / width;
      pixels[i + 1] = (y * 255) / height;
      pixels[i + 2] = ((x ^ y) & 0xff) as number;
    }
  }
  return sharp(pixels, { raw: { width, height, channels } }).jpeg({ quality }).toBuffer();
}

export async function makePng(width = 64, height = 64): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 120, b: 40 } } })
    .png()
    .toBuffer();
}

/** A valid JPEG whose SOF header claims width x height: a decompression bomb's header. */
export async function jpegClaimingSize(width: number, height: number): Promise<Buffer> {
  const jpeg = Buffer.from(await makeJpeg(16, 16));
  for (let i = 2; i < jpeg.length - 9; i++) {
    // SOF0..SOF2 markers carry precision, height, width.
    if (jpeg[i] === 0xff && (jpeg[i + 1] === 0xc0 || jpeg[i + 1] === 0xc1 || jpeg[i + 1] === 0xc2)) {
      jpeg.writeUInt16BE(height, i + 5);
      jpeg.writeUInt16BE(width, i + 7);
      return jpeg;
    }
  }
  throw new Error('no SOF marker found');
}

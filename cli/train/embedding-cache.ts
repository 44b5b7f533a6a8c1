import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Pooled features on disk, one small file per photo and view, keyed by the photo's sha256, the
 * backbone's content version and the view id: a new backbone or a changed view never reads stale
 * features, and an interrupted run keeps everything it finished (each file is written whole, then
 * renamed into place).
 */
export class EmbeddingCache {
  constructor(
    readonly dir: string,
    private readonly backboneVersion: string,
  ) {}

  private file(sha256: string, view: string): string {
    return path.join(this.dir, this.backboneVersion, view, sha256.slice(0, 2), `${sha256}.f32`);
  }

  async get(sha256: string, view: string, size: number): Promise<Float32Array | undefined> {
    try {
      const bytes = await readFile(this.file(sha256, view));
      if (bytes.byteLength !== size * 4) return undefined;
      return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    } catch {
      return undefined;
    }
  }

  async set(sha256: string, view: string, features: Float32Array): Promise<void> {
    const file = this.file(sha256, view);
    await mkdir(path.dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, Buffer.from(features.buffer, features.byteOffset, features.byteLength));
    await rename(temp, file);
  }
}

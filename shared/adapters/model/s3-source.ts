import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { FetchFile } from './model-download.js';
import { ModelLoadError } from './model-errors.js';

export interface S3Location {
  bucket: string;
  /** Key prefix without a trailing slash; '' for the bucket's root. */
  prefix: string;
}

export function parseS3Uri(uri: string): S3Location {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!match?.[1]) throw new ModelLoadError(`${uri}: not an s3://bucket/prefix URI.`);
  return { bucket: match[1], prefix: (match[2] ?? '').replace(/\/+$/, '') };
}

export function s3Key(location: S3Location, name: string): string {
  return location.prefix === '' ? name : `${location.prefix}/${name}`;
}

/** Fetches a model's files with GetObject: s3://bucket/prefix/model.json, .../metadata.json, shards. */
export function s3Fetcher(uri: string, client: S3Client): FetchFile {
  const location = parseS3Uri(uri);
  return async (name) => {
    const key = s3Key(location, name);
    try {
      const output = await client.send(new GetObjectCommand({ Bucket: location.bucket, Key: key }));
      // In Node the SDK's body is an http.IncomingMessage mixin: a Readable, so async-iterable.
      const body = output.Body as unknown as AsyncIterable<Uint8Array> | undefined;
      if (body === undefined) throw new ModelLoadError(`s3://${location.bucket}/${key}: empty response.`);
      return { body, size: output.ContentLength };
    } catch (error) {
      // The SDK's documented way to tell a missing object; without ListBucket S3 says AccessDenied.
      const name = (error as { name?: unknown }).name;
      if (name === 'NoSuchKey' || name === 'NotFound') return undefined;
      if (error instanceof ModelLoadError) throw error;
      throw new ModelLoadError(`s3://${location.bucket}/${key}: GetObject failed.`, { cause: error });
    }
  };
}

/**
 * Secret strings (tokens, passwords) by logical name, e.g. 'upstashToken'. Each adapter maps the name
 * to its source: a config record locally, a Secrets Manager secret id on Lambda and Beanstalk.
 * Values are strings; a JSON secret is parsed by the caller (see readJsonSecret).
 */
export interface Secrets {
  /** The current value; rejects with SecretError. */
  get(name: string): Promise<string>;
  /**
   * Fetches the value again now, ignoring the cache: for a caller that just saw the cached value
   * refused (a database answering 28P01 after a rotation). Optional: sources whose values cannot
   * change while the process runs (the local configuration) have nothing to refresh.
   */
  refresh?(name: string): Promise<string>;
}

export type SecretErrorCode =
  /** The name is not mapped to any source: a configuration mistake. */
  | 'SECRET_NOT_CONFIGURED'
  /** The source has no such secret (Secrets Manager's ResourceNotFoundException). */
  | 'SECRET_NOT_FOUND'
  /** The source could not be read (network, permissions, throttling); the cause says why. */
  | 'SECRET_UNAVAILABLE'
  /** The secret exists but holds no string (a SecretBinary-only secret). */
  | 'SECRET_NOT_STRING'
  /** The value does not have the expected shape (not JSON, or JSON of another shape). */
  | 'SECRET_MALFORMED';

/**
 * Names the secret (logical name and, where there is one, the source's id) and never its value, so
 * it is safe to log: messages, codes and causes carry no secret material.
 */
export class SecretError extends Error {
  constructor(
    readonly code: SecretErrorCode,
    readonly secretName: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SecretError';
  }
}

/** A string key-value cache with expiry (memory, Redis TCP, Upstash REST). */
export interface Cache {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  close(): Promise<void>;
}

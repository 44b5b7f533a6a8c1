/**
 * Turns ioredis replies (fetched with callBuffer, so values arrive as raw bytes) into the JSON the
 * Upstash REST API answers with.
 */
export type JsonReply = string | number | null | JsonReply[];

/**
 * With `Upstash-Encoding: base64` every string, also inside arrays, is sent base64-encoded, so
 * binary values survive JSON. A top-level "OK" status stays plain: @upstash/redis's decoder
 * special-cases exactly that reply (any other top-level string it base64-decodes), so plain "OK"
 * is what the real service sends. Numbers and nil are never encoded.
 */
export function encodeReply(reply: unknown, base64: boolean): JsonReply {
  if (base64 && isBytes(reply) && Buffer.from(reply).toString('latin1') === 'OK') return 'OK';
  return encodeValue(reply, base64);
}

function encodeValue(value: unknown, base64: boolean): JsonReply {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  // RESP3 big numbers: JSON numbers lose precision past 2^53, so send the digits as a string.
  if (typeof value === 'bigint') return encodeValue(value.toString(), base64);
  if (isBytes(value))
    return base64 ? Buffer.from(value).toString('base64') : Buffer.from(value).toString('utf8');
  if (typeof value === 'string') return base64 ? Buffer.from(value, 'utf8').toString('base64') : value;
  if (Array.isArray(value)) return value.map((v) => encodeValue(v, base64));
  // RESP3 maps and sets: flattened as RESP2 would send them, which is what the client parses.
  if (value instanceof Map) return [...value.entries()].flat().map((v) => encodeValue(v, base64));
  if (value instanceof Set) return [...value].map((v) => encodeValue(v, base64));
  // An error nested in an array reply (e.g. a Lua table): Upstash sends its text.
  if (value instanceof Error) return encodeValue(value.message, base64);
  // ioredis turns HGETALL's field/value array into an object even with callBuffer: undo that.
  if (typeof value === 'object')
    return Object.entries(value)
      .flat()
      .map((v) => encodeValue(v, base64));
  return encodeValue(String(value), base64);
}

function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array;
}

import fc from 'fast-check';

/** Byte-exact percent-encoding of a string's UTF-8 (lone surrogates become U+FFFD, as on the wire). */
export function percentEncode(value: string): string {
  return [...Buffer.from(value, 'utf8')]
    .map((b) =>
      (b >= 0x30 && b <= 0x39) ||
      (b >= 0x41 && b <= 0x5a) ||
      (b >= 0x61 && b <= 0x7a) ||
      b === 0x2d ||
      b === 0x5f
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}

/** Strings that have broken things before: NUL, unpaired surrogates, emoji, RTL, huge, numeric edge cases. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\ud800',
    '\udfff',
    'x\ud83dy',
    '🐶',
    '\u202e',
    '\ufeff',
    'null',
    'undefined',
    '__proto__',
    'constructor',
    "'; DROP TABLE predictions; --",
    '%00',
    '%',
    '../../etc/passwd',
    '1e309',
    '-0',
    'NaN',
    '9'.repeat(400),
    'x'.repeat(70_000),
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom('\u0000', '\ud800', '\udc00', 'a', '🐾', ' '), maxLength: 12 }),
  fc.string({ maxLength: 300 }),
);

/**
 * The same, short enough for a URL: past Node's 16 KB header limit its own parser answers 431
 * before the application sees the request (a server setting, reported apart, not a value problem).
 */
export const urlNastyString: fc.Arbitrary<string> = nastyString.map((v) => v.slice(0, 500));

/** Header values a real HTTP client can send: visible ASCII, spaces, and Latin-1 bytes. */
export const headerValue: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 80 }),
  fc.string({ unit: fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 20 }),
  fc.constantFrom('', ' ', 'x'.repeat(300), 'x'.repeat(4000)),
);

/** Cursor timestamps with every component anywhere in its digits' range, so impossible dates are common. */
const cursorTime = fc
  .tuple(
    fc.integer({ min: 0, max: 9999 }),
    fc.integer({ min: 0, max: 99 }),
    fc.integer({ min: 0, max: 99 }),
    fc.integer({ min: 0, max: 99 }),
    fc.integer({ min: 0, max: 99 }),
    fc.integer({ min: 0, max: 99 }),
    fc.option(fc.integer({ min: 0, max: 9_999_999 }), { nil: undefined }),
  )
  .map(([y, mo, d, h, mi, s, frac]) => {
    const two = (n: number) => String(n).padStart(2, '0');
    const fraction = frac === undefined ? '' : `.${String(frac).slice(0, 6)}`;
    return `${String(y).padStart(4, '0')}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}:${two(s)}${fraction}Z`;
  });

const uuidLike = fc.oneof(fc.uuid(), fc.constantFrom('00000000-0000-0000-0000-000000000000'), urlNastyString);

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Cursors: forged keyset positions (bad dates, NUL, surrogates, huge numbers), other JSON, raw garbage. */
export function cursorArbitrary(issued: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 5, arbitrary: fc.tuple(cursorTime, uuidLike).map(([t, id]) => b64([t, id])) },
    { weight: 2, arbitrary: fc.tuple(urlNastyString, uuidLike).map(([t, id]) => b64([t, id])) },
    { weight: 1, arbitrary: fc.jsonValue().map(b64) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(1e308, -1e308, 2 ** 63, Number.MAX_SAFE_INTEGER, -1).map((n) => b64([n, n])),
    },
    { weight: 1, arbitrary: urlNastyString },
    ...(issued.length > 0 ? [{ weight: 2, arbitrary: fc.constantFrom(...issued) }] : []),
  );
}

/** Integers and not: for limit and topK. */
export const numberish: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: -5, max: 200 }).map(String),
  fc.constantFrom('3', '10', '11', '100', '101'),
  fc.constantFrom(
    '1e2',
    '0x10',
    '1.5',
    '-0',
    '',
    ' 3',
    '3 ',
    'NaN',
    'Infinity',
    '1e309',
    '9'.repeat(400),
    '00001',
  ),
  urlNastyString,
);

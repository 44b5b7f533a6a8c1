import fc from 'fast-check';
import type { Operation } from '../../../shared/http/operation.js';
import { cursorArbitrary, headerValue, numberish, percentEncode, urlNastyString } from './hostile-values.js';
import { type HttpCase, withDescription } from './http-case.js';
import { type ImageCorpus, imageBytesArbitrary, multipartArbitrary } from './image-bodies.js';
import { type SaveContext, saveBodyArbitrary } from './save-bodies.js';
import { authorizationArbitrary, type TokenPool } from './token-pool.js';

export interface GeneratorContext {
  tokens: TokenPool;
  save: SaveContext;
  corpus: ImageCorpus;
  /** Cursors the API really issued, so real pagination is among the cases. */
  issuedCursors: readonly string[];
  /** Ids of stored rows, so some deletes find their row. */
  knownIds: readonly string[];
  /** Express decodes the URL itself; the simulated API Gateway cannot represent malformed escapes. */
  malformedEscapes: boolean;
}

const OTHER_METHODS = ['GET', 'POST', 'DELETE', 'PUT', 'PATCH', 'OPTIONS'];

function pathIdArbitrary(ctx: GeneratorContext): fc.Arbitrary<string> {
  const options: fc.WeightedArbitrary<string>[] = [
    { weight: 3, arbitrary: fc.uuid() },
    { weight: 4, arbitrary: urlNastyString.map(percentEncode) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('%00', '%2F', '..', '.', 'a%2Fb', '%20', encodeURIComponent('🐶')),
    },
  ];
  if (ctx.knownIds.length > 0) options.push({ weight: 3, arbitrary: fc.constantFrom(...ctx.knownIds) });
  if (ctx.malformedEscapes) {
    options.push({
      weight: 1,
      arbitrary: fc.constantFrom('%E0%A4%A', '%', '%zz', '%ED%A0%80', '%FF', '%C0%80'),
    });
  }
  return fc.oneof(...options);
}

function queryArbitrary(op: Operation, ctx: GeneratorContext): fc.Arbitrary<string> {
  const keyed: fc.Arbitrary<[string, string]>[] = [
    fc.tuple(fc.constantFrom('limit', 'topK'), numberish),
    fc.tuple(fc.constant('cursor'), cursorArbitrary(ctx.issuedCursors)),
    fc.tuple(
      fc.oneof(urlNastyString, fc.constantFrom('__proto__', 'constructor', 'limit[]', 'cursor[a]')),
      urlNastyString,
    ),
  ];
  // Each operation mostly gets its own keys, sometimes repeated (?limit=1&limit=2) or foreign ones.
  const own =
    op.id === 'listPredictions'
      ? [keyed[0], keyed[1], keyed[1]]
      : op.id === 'predict'
        ? [keyed[0]]
        : [keyed[2]];
  return fc
    .array(fc.oneof(...(own as fc.Arbitrary<[string, string]>[]), ...keyed), { maxLength: 4 })
    .map((pairs) =>
      pairs.length === 0
        ? ''
        : `?${pairs.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&')}`,
    );
}

interface BodyChoice {
  kind: string;
  contentType: string | undefined;
  body: Buffer | undefined;
}

const jsonType = fc.oneof(
  { weight: 8, arbitrary: fc.constant('application/json') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'application/json; charset=utf-8',
      'application/json; charset=latin1',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'image/jpeg',
      undefined,
    ),
  },
  { weight: 1, arbitrary: headerValue },
);

const imageType = (own: string) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant(own) },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        'image/jpg',
        'image/png',
        'application/octet-stream',
        'application/json',
        'text/plain',
        'image/gif',
        undefined,
      ),
    },
    { weight: 1, arbitrary: headerValue },
  );

function bodyArbitrary(op: Operation, ctx: GeneratorContext): fc.Arbitrary<BodyChoice> {
  switch (op.body.kind) {
    case 'json':
      return fc
        .tuple(saveBodyArbitrary(ctx.save), jsonType)
        .map(([b, contentType]) => ({ ...b, contentType }));
    case 'image':
      return fc.oneof(
        {
          weight: 1,
          arbitrary: imageBytesArbitrary(ctx.corpus).chain((i) =>
            imageType(i.type).map((contentType) => ({ kind: `raw:${i.kind}`, contentType, body: i.bytes })),
          ),
        },
        { weight: 1, arbitrary: multipartArbitrary(ctx.corpus) },
      );
    case 'none':
      return fc.oneof(
        { weight: 4, arbitrary: fc.constant({ kind: 'none', contentType: undefined, body: undefined }) },
        {
          weight: 1,
          arbitrary: fc.uint8Array({ maxLength: 100 }).map((a) => ({
            kind: 'none:unexpected-body',
            contentType: 'application/octet-stream',
            body: Buffer.from(a),
          })),
        },
      );
  }
}

const idempotencyKey = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('k-1', 'k-2', 'k-3') },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', 'x'.repeat(255), 'x'.repeat(256), 'with space', 'é') },
  { weight: 1, arbitrary: headerValue },
);

/** Arbitrary requests aimed at one operation of the table: mostly its own method and path. */
export function requestArbitrary(op: Operation, ctx: GeneratorContext): fc.Arbitrary<HttpCase> {
  const template = op.path.includes('{id}')
    ? pathIdArbitrary(ctx).map((id) => op.path.replace('{id}', id))
    : fc.constant(op.path);
  return fc
    .record({
      method: fc.oneof(
        { weight: 9, arbitrary: fc.constant(op.method as string) },
        { weight: 1, arbitrary: fc.constantFrom(...OTHER_METHODS) },
      ),
      path: template,
      query: queryArbitrary(op, ctx),
      authorization: authorizationArbitrary(ctx.tokens),
      body: bodyArbitrary(op, ctx),
      key: fc.option(idempotencyKey, { freq: op.id === 'savePrediction' ? 2 : 8 }),
      explicitLength: fc.boolean(),
      viaGateway: fc.boolean(),
      requestId: fc.option(headerValue, { freq: 5 }),
    })
    .map((r) => {
      const headers: Record<string, string> = {};
      if (r.authorization !== undefined) headers.authorization = r.authorization;
      if (r.body.contentType !== undefined) headers['content-type'] = r.body.contentType;
      if (r.key !== null) headers['idempotency-key'] = r.key;
      if (r.requestId !== null) headers['x-request-id'] = r.requestId;
      if (r.explicitLength && r.body.body !== undefined)
        headers['content-length'] = String(r.body.body.length);
      return withDescription({
        method: r.method,
        url: `${r.path}${r.query}`,
        headers,
        ...(r.body.body === undefined ? {} : { body: r.body.body }),
        viaGateway: r.viaGateway,
        kind: `${op.id}:${r.body.kind}`,
      });
    });
}

import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenLocal } from '../listen.js';
import { AwsJsonError, operations } from './operations.js';
import { SecretStore } from './secret-store.js';

export interface SecretsManagerEmulatorOptions {
  /** Default 0: any free port (read it from `url`). */
  port?: number;
  /** Default 127.0.0.1: requests are not signature-checked, so keep it off other interfaces. */
  host?: string;
  /** Default us-east-1; only shows in ARNs. */
  region?: string;
  /** Initial secrets: name -> SecretString (an object is stored as its JSON text). */
  secrets?: Readonly<Record<string, string | object>>;
  /** A JSON file of the same shape, read at start; its entries win over `secrets`. */
  file?: string;
}

export interface SecretsManagerEmulator {
  /** http://host:port, to pass as the SDK client's `endpoint`. */
  url: string;
  region: string;
  /** Creates a secret, or rotates it: the new value becomes AWSCURRENT, the old one AWSPREVIOUS. */
  putSecret(name: string, value: string | object): void;
  deleteSecret(name: string): void;
  /** Every request answered, in order, so tests can count fetches (a cache must not refetch). */
  readonly requests: ReadonlyArray<{ operation: string; secretId: unknown }>;
  close(): Promise<void>;
}

const asSecretString = (value: string | object) =>
  typeof value === 'string' ? value : JSON.stringify(value);

/**
 * A local Secrets Manager speaking the AWS JSON 1.1 protocol the SDK uses: POST / with
 * `X-Amz-Target: secretsmanager.<Operation>` and a JSON body; errors are HTTP 400 with `__type`.
 * Signatures are accepted unchecked (any credentials work).
 */
export async function startSecretsManagerEmulator(
  options: SecretsManagerEmulatorOptions = {},
): Promise<SecretsManagerEmulator> {
  const region = options.region ?? 'us-east-1';
  const store = new SecretStore(region, '000000000000');
  const fromFile = options.file
    ? (JSON.parse(await readFile(options.file, 'utf8')) as Record<string, string | object>)
    : {};
  for (const [name, value] of Object.entries({ ...options.secrets, ...fromFile })) {
    store.put(name, asSecretString(value));
  }
  const requests: Array<{ operation: string; secretId: unknown }> = [];
  const server = createServer((req, res) => {
    handle(req, store, requests).then(
      (body) => send(res, 200, body),
      (error: unknown) => {
        const aws =
          error instanceof AwsJsonError
            ? error
            : new AwsJsonError('InternalServiceError', String(error), 500);
        send(res, aws.status, { __type: aws.type, message: aws.message });
      },
    );
  });
  const url = await listenLocal(server, options.port, options.host);
  return {
    url,
    region,
    putSecret: (name, value) => void store.put(name, asSecretString(value)),
    deleteSecret: (name) => void store.delete(name),
    requests,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // The SDK keeps connections alive; without this, close() would wait for them to idle out.
      server.closeAllConnections();
      await closed;
    },
  };
}

async function handle(
  req: IncomingMessage,
  store: SecretStore,
  requests: Array<{ operation: string; secretId: unknown }>,
): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  const target = String(req.headers['x-amz-target'] ?? '');
  const [service, operationName = ''] = target.split('.');
  const operation = Object.hasOwn(operations, operationName) ? operations[operationName] : undefined;
  if (req.method !== 'POST' || service !== 'secretsmanager' || !operation) {
    throw new AwsJsonError(
      'UnknownOperationException',
      `Unsupported operation: ${target || '(no X-Amz-Target)'}`,
    );
  }
  let input: unknown;
  try {
    input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch {
    throw new AwsJsonError('SerializationException', 'The request body is not valid JSON.');
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new AwsJsonError('SerializationException', 'The request body must be a JSON object.');
  }
  const fields = input as Record<string, unknown>;
  requests.push({ operation: operationName, secretId: fields.SecretId ?? fields.Name });
  return operation(store, fields);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(json),
    'x-amzn-requestid': randomUUID(),
  });
  res.end(json);
}

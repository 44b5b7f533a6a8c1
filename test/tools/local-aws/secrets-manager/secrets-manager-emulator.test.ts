import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsClientConfig } from '../../../../shared/composition/aws-client-config.js';
import {
  type SecretsManagerEmulator,
  startSecretsManagerEmulator,
} from '../../../../tools/local-aws/secrets-manager/secrets-manager-emulator.js';

describe('Secrets Manager emulator (AWS JSON 1.1)', () => {
  let sm: SecretsManagerEmulator;
  const call = async (target: string, body: unknown) => {
    const res = await fetch(sm.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      body: (await res.json()) as Record<string, unknown>,
    };
  };
  const get = (body: unknown) => call('secretsmanager.GetSecretValue', body);

  beforeAll(async () => {
    sm = await startSecretsManagerEmulator({
      secrets: { 'app/token': 'v1', 'app/db': { username: 'u', password: 'p' } },
    });
  });
  afterAll(async () => {
    await sm?.close();
  });

  it('GetSecretValue answers the fields the SDK reads, with epoch-second dates', async () => {
    const reply = await get({ SecretId: 'app/token' });
    expect(reply.status).toBe(200);
    expect(reply.type).toBe('application/x-amz-json-1.1');
    expect(reply.body).toEqual({
      ARN: expect.stringMatching(/^arn:aws:secretsmanager:us-east-1:000000000000:secret:app\/token-.{6}$/),
      Name: 'app/token',
      SecretString: 'v1',
      VersionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      VersionStages: ['AWSCURRENT'],
      CreatedDate: expect.any(Number),
    });
    expect(Math.abs((reply.body.CreatedDate as number) - Date.now() / 1000)).toBeLessThan(60);
  });

  it('finds a secret by its ARN too, and stores an object given at start as JSON text', async () => {
    const { body } = await get({ SecretId: 'app/db' });
    expect(JSON.parse(body.SecretString as string)).toEqual({ username: 'u', password: 'p' });
    expect((await get({ SecretId: body.ARN })).body.Name).toBe('app/db');
  });

  it('a missing secret is HTTP 400 with __type ResourceNotFoundException', async () => {
    expect(await get({ SecretId: 'app/absent' })).toMatchObject({
      status: 400,
      body: { __type: 'ResourceNotFoundException', message: expect.stringMatching(/can't find/) },
    });
  });

  it('rotation makes the new value AWSCURRENT and keeps the old one as AWSPREVIOUS', async () => {
    sm.putSecret('app/rotating', 'old');
    const before = await get({ SecretId: 'app/rotating' });
    sm.putSecret('app/rotating', 'new');
    expect((await get({ SecretId: 'app/rotating' })).body).toMatchObject({
      SecretString: 'new',
      VersionStages: ['AWSCURRENT'],
    });
    expect((await get({ SecretId: 'app/rotating', VersionStage: 'AWSPREVIOUS' })).body.SecretString).toBe(
      'old',
    );
    expect(
      (await get({ SecretId: 'app/rotating', VersionId: before.body.VersionId })).body.SecretString,
    ).toBe('old');
  });

  it('CreateSecret and PutSecretValue work over the wire; creating twice is ResourceExistsException', async () => {
    expect(
      (await call('secretsmanager.CreateSecret', { Name: 'app/created', SecretString: 'c1' })).status,
    ).toBe(200);
    expect(
      (await call('secretsmanager.CreateSecret', { Name: 'app/created', SecretString: 'c2' })).body.__type,
    ).toBe('ResourceExistsException');
    await call('secretsmanager.PutSecretValue', { SecretId: 'app/created', SecretString: 'c3' });
    expect((await get({ SecretId: 'app/created' })).body.SecretString).toBe('c3');
  });

  it('rejects unknown operations, bodies that are not JSON and a missing SecretId', async () => {
    expect((await call('secretsmanager.DeleteEverything', {})).body.__type).toBe('UnknownOperationException');
    expect((await call('dynamodb.GetItem', {})).body.__type).toBe('UnknownOperationException');
    expect((await get('{not json')).body.__type).toBe('SerializationException');
    expect((await get({})).body.__type).toBe('InvalidParameterException');
  });

  it('logs each request so tests can count fetches', async () => {
    const before = sm.requests.length;
    await get({ SecretId: 'app/token' });
    expect(sm.requests.slice(before)).toEqual([{ operation: 'GetSecretValue', secretId: 'app/token' }]);
  });

  it('speaks the protocol the real SDK client expects (values, dates, typed errors)', async () => {
    const client = new SecretsManagerClient(awsClientConfig('us-east-1', sm.url));
    try {
      const out = await client.send(new GetSecretValueCommand({ SecretId: 'app/token' }));
      expect(out.SecretString).toBe('v1');
      expect(out.CreatedDate).toBeInstanceOf(Date);
      await client.send(new PutSecretValueCommand({ SecretId: 'app/token', SecretString: 'v2' }));
      expect((await client.send(new GetSecretValueCommand({ SecretId: 'app/token' }))).SecretString).toBe(
        'v2',
      );
      await expect(client.send(new GetSecretValueCommand({ SecretId: 'app/absent' }))).rejects.toBeInstanceOf(
        ResourceNotFoundException,
      );
    } finally {
      client.destroy();
    }
  });
});

describe('Secrets Manager emulator seeded from a file', () => {
  it('loads string and object secrets from JSON, the file winning over in-memory ones', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sm-emulator-'));
    const file = path.join(dir, 'secrets.json');
    await writeFile(file, JSON.stringify({ plain: 'from-file', json: { a: 1 } }));
    const sm = await startSecretsManagerEmulator({ file, secrets: { plain: 'in-memory', other: 'x' } });
    const client = new SecretsManagerClient(awsClientConfig('us-east-1', sm.url));
    try {
      const read = async (id: string) =>
        (await client.send(new GetSecretValueCommand({ SecretId: id }))).SecretString;
      expect([await read('plain'), await read('json'), await read('other')]).toEqual([
        'from-file',
        '{"a":1}',
        'x',
      ]);
    } finally {
      client.destroy();
      await sm.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

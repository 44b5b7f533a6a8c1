import { randomBytes, randomUUID } from 'node:crypto';

export interface SecretVersion {
  versionId: string;
  secretString: string;
  createdDate: Date;
  /** AWSCURRENT, AWSPREVIOUS, or none for an older version. */
  stages: string[];
}

export interface StoredSecret {
  name: string;
  arn: string;
  versions: SecretVersion[];
}

/** The emulator's secrets, with Secrets Manager's version staging so rotation behaves as on AWS. */
export class SecretStore {
  readonly #secrets = new Map<string, StoredSecret>();

  constructor(
    readonly region: string,
    readonly accountId: string,
  ) {}

  has(name: string): boolean {
    return this.#secrets.has(name);
  }

  /**
   * Creates the secret, or adds a version that becomes AWSCURRENT while the old current one becomes
   * AWSPREVIOUS: what a rotation (or PutSecretValue) does on AWS.
   */
  put(name: string, secretString: string): { secret: StoredSecret; version: SecretVersion } {
    let secret = this.#secrets.get(name);
    if (!secret) {
      // Real ARNs end in "-" and six random characters, so a name alone never matches an ARN exactly.
      const suffix = randomBytes(4).toString('base64url').slice(0, 6);
      const arn = `arn:aws:secretsmanager:${this.region}:${this.accountId}:secret:${name}-${suffix}`;
      secret = { name, arn, versions: [] };
      this.#secrets.set(name, secret);
    }
    for (const old of secret.versions) {
      old.stages = old.stages.includes('AWSCURRENT') ? ['AWSPREVIOUS'] : [];
    }
    const version = {
      versionId: randomUUID(),
      secretString,
      createdDate: new Date(),
      stages: ['AWSCURRENT'],
    };
    secret.versions.push(version);
    return { secret, version };
  }

  delete(name: string): boolean {
    return this.#secrets.delete(name);
  }

  /** By name or by full ARN, as GetSecretValue's SecretId accepts either. */
  find(secretId: string): StoredSecret | undefined {
    return this.#secrets.get(secretId) ?? [...this.#secrets.values()].find((s) => s.arn === secretId);
  }
}

/** The version a request asks for: by id, by staging label, or AWSCURRENT by default. */
export function selectVersion(
  secret: StoredSecret,
  request: { VersionId?: unknown; VersionStage?: unknown },
): SecretVersion | undefined {
  if (typeof request.VersionId === 'string') {
    return secret.versions.find((v) => v.versionId === request.VersionId);
  }
  const stage = typeof request.VersionStage === 'string' ? request.VersionStage : 'AWSCURRENT';
  return secret.versions.find((v) => v.stages.includes(stage));
}

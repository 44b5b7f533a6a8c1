import { type SecretStore, selectVersion } from './secret-store.js';

/** An AWS JSON 1.1 error: HTTP 400 with the exception name in `__type`, as the SDK parses it. */
export class AwsJsonError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = type;
  }
}

type Input = Record<string, unknown>;
type Operation = (store: SecretStore, input: Input) => Record<string, unknown>;

const NOT_FOUND = "Secrets Manager can't find the specified secret.";
// JSON 1.1 timestamps are epoch seconds (a number), not ISO strings.
const epochSeconds = (date: Date) => date.getTime() / 1000;

function requireString(input: Input, field: string): string {
  const value = input[field];
  if (typeof value !== 'string' || value === '') {
    throw new AwsJsonError('InvalidParameterException', `${field} must be a non-empty string.`);
  }
  return value;
}

function findSecret(store: SecretStore, input: Input) {
  const secret = store.find(requireString(input, 'SecretId'));
  if (!secret) throw new AwsJsonError('ResourceNotFoundException', NOT_FOUND);
  return secret;
}

/** The operations the app, middy and a developer's `aws --endpoint-url` need; the rest answer Unknown. */
export const operations: Record<string, Operation> = {
  GetSecretValue(store, input) {
    const secret = findSecret(store, input);
    const version = selectVersion(secret, input);
    if (!version) {
      throw new AwsJsonError(
        'ResourceNotFoundException',
        "Secrets Manager can't find the specified secret value for the requested version.",
      );
    }
    return {
      ARN: secret.arn,
      Name: secret.name,
      VersionId: version.versionId,
      SecretString: version.secretString,
      VersionStages: version.stages,
      CreatedDate: epochSeconds(version.createdDate),
    };
  },

  PutSecretValue(store, input) {
    const secret = findSecret(store, input);
    const { version } = store.put(secret.name, requireString(input, 'SecretString'));
    return {
      ARN: secret.arn,
      Name: secret.name,
      VersionId: version.versionId,
      VersionStages: version.stages,
    };
  },

  CreateSecret(store, input) {
    const name = requireString(input, 'Name');
    if (store.has(name)) {
      throw new AwsJsonError(
        'ResourceExistsException',
        `The operation failed because the secret ${name} already exists.`,
      );
    }
    const { secret, version } = store.put(name, requireString(input, 'SecretString'));
    return { ARN: secret.arn, Name: secret.name, VersionId: version.versionId };
  },
};

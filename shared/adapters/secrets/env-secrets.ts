import { SecretError, type Secrets } from '../../ports/secrets.js';

/**
 * Local development and tests: secrets from a record the composition root fills from the parsed
 * config (which read the environment or .env). Never reads process.env itself.
 */
export function createEnvSecrets(values: Readonly<Record<string, string | undefined>>): Secrets {
  const known = new Map(Object.entries(values));
  return {
    async get(name) {
      const value = known.get(name);
      if (value === undefined || value === '') {
        throw new SecretError(
          'SECRET_NOT_CONFIGURED',
          name,
          `Secret "${name}" is not set in the local configuration.`,
        );
      }
      return value;
    },
  };
}

/** Mints a dev token for the embedded default: `npm run token -- alice`. */
import { loadOrCreateDevKeys, mintDevToken } from '../shared/adapters/identity/dev-keys.js';
import { loadConfig } from '../shared/config.js';

const userId = process.argv[2];
if (!userId) {
  console.error('usage: npm run token -- <user-id> [expires-in, e.g. 12h]');
  process.exit(2);
}
const config = loadConfig();
if (config.auth.kind !== 'dev') {
  console.error(
    'JWT_JWKS_URL is set: tokens come from your identity provider (e.g. Cognito), not from here.',
  );
  process.exit(2);
}
const keys = await loadOrCreateDevKeys(config.auth.keyFile);
const expiresIn = process.argv[3] ?? '12h';
console.log(
  await mintDevToken(keys, userId, { issuer: config.auth.issuer, audience: config.auth.audience, expiresIn }),
);

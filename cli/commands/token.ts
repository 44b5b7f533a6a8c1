import { parseArgs } from 'node:util';
import { decodeJwt } from 'jose';
import { openDevTokens } from '../../shared/composition/dev-tokens.js';
import { loadConfig } from '../../shared/config.js';
import { UsageError } from '../usage.js';

/** `pettracker token <user> [expires-in]` and `npm run token -- <user> [expires-in]`: prints a dev token. */
export async function tokenCommand(args: string[]): Promise<number> {
  const { positionals } = parseArgs({ args, options: {}, allowPositionals: true, strict: true });
  const [userId, expiresIn = '12h', extra] = positionals;
  if (!userId || extra !== undefined)
    throw new UsageError('token needs a user id, e.g. pettracker token alice');
  const { auth } = loadConfig();
  const devTokens = await openDevTokens(auth);
  if (!devTokens) {
    console.error(
      'JWT_JWKS_URL is set: tokens come from your identity provider (e.g. Cognito), not from here.',
    );
    return 2;
  }
  let token: string;
  try {
    token = await devTokens.mint(userId, expiresIn);
  } catch (error) {
    throw new UsageError(
      `"${expiresIn}" is not a lifetime (${(error as Error).message}): e.g. 30m, 12h, 1d.`,
    );
  }
  // The lifetime as jose read it, so "90 minutes", "1.5h" and "5400s" are judged alike.
  const { exp = 0, iat = 0 } = decodeJwt(token);
  const max = auth.limits.maxLifetimeSeconds;
  if (exp - iat <= 0) throw new UsageError(`"${expiresIn}" would mint a token that is already expired.`);
  if (exp - iat > max) {
    throw new UsageError(
      `"${expiresIn}" is ${exp - iat} s: the API refuses tokens living longer than ${max} s (JWT_MAX_LIFETIME_SECONDS).`,
    );
  }
  console.log(token);
  return 0;
}

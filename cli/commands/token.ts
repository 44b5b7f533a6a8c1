import { parseArgs } from 'node:util';
import { openDevTokens } from '../../shared/composition/dev-tokens.js';
import { loadConfig } from '../../shared/config.js';
import { UsageError } from '../usage.js';

/** `pettracker token <user> [expires-in]` and `npm run token -- <user> [expires-in]`: prints a dev token. */
export async function tokenCommand(args: string[]): Promise<number> {
  const { positionals } = parseArgs({ args, options: {}, allowPositionals: true, strict: true });
  const [userId, expiresIn = '12h', extra] = positionals;
  if (!userId || extra !== undefined)
    throw new UsageError('token needs a user id, e.g. pettracker token alice');
  const devTokens = await openDevTokens(loadConfig().auth);
  if (!devTokens) {
    console.error(
      'JWT_JWKS_URL is set: tokens come from your identity provider (e.g. Cognito), not from here.',
    );
    return 2;
  }
  console.log(await devTokens.mint(userId, expiresIn));
  return 0;
}

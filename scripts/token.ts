/** Mints a dev token for the embedded default: `npm run token -- alice [12h]`, same as `pettracker token`. */
import { main } from '../cli/main.js';

process.exitCode = await main(['token', ...process.argv.slice(2)]);

// `npm run train -- <folder> [options]`: the same as `pettracker train`.
import { main } from './main.js';

process.exitCode = await main(['train', ...process.argv.slice(2)]);

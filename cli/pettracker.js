#!/usr/bin/env node
// The `pettracker` bin (package.json "bin"): runs the TypeScript CLI with no build step. tsx is a
// runtime dependency already (npm start uses it); register() installs its loader for this process
// only, through Node's module.register (Node >= 20.6; the package asks for >= 20.9).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));

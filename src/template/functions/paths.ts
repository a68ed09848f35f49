/**
 * Path functions (Sprig v3, Go's slash-separated `path` package): `base dir clean ext isAbs`,
 * and their `os*` forms, which behave the same (bosun always uses `/`).
 */

import { type FunctionMap, fn, strArg } from './args.js';

/** Go `path.Clean`: shortest equivalent path (`a/./b/../c` → `a/c`, `""` → `.`). */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length > 0 && out.at(-1) !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(seg);
  }
  const s = (rooted ? '/' : '') + out.join('/');
  return s === '' ? '.' : s;
}

function base(p: string): string {
  if (p === '') return '.';
  const trimmed = p.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

function dir(p: string): string {
  return cleanPath(p.slice(0, p.lastIndexOf('/') + 1));
}

function ext(p: string): string {
  for (let i = p.length - 1; i >= 0 && p[i] !== '/'; i--) if (p[i] === '.') return p.slice(i);
  return '';
}

/** Path functions. */
export function pathFunctions(): FunctionMap {
  const m: FunctionMap = {
    base: fn(1, 1, ([p]) => base(strArg(p))),
    dir: fn(1, 1, ([p]) => dir(strArg(p))),
    clean: fn(1, 1, ([p]) => cleanPath(strArg(p))),
    ext: fn(1, 1, ([p]) => ext(strArg(p))),
    isAbs: fn(1, 1, ([p]) => strArg(p).startsWith('/')),
  };
  for (const name of ['base', 'dir', 'clean', 'ext', 'isAbs'])
    m[`os${name[0]!.toUpperCase()}${name.slice(1)}`] = m[name]!;
  return m;
}

/**
 * The text filters pipelines use: `head`, `tail`, `wc`, `grep`, `sort`, `uniq`, `cut`, `tr`,
 * `seq`, `expr`, `base64`, `sha256sum`, and the small subsets of `sed`, `awk` and `jq` pods call.
 */

import type { IO, Shell } from '../shell.js';
import { arithmetic } from '../shell-expand.js';
import { sha256Hex } from '../text.js';
import { define } from './shared.js';

const lines = (text: string): string[] => {
  const parts = text.split('\n');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
};

function inputOf(shell: Shell, argv: readonly string[], io: IO, skip = 0): string | undefined {
  const files = argv.slice(1 + skip).filter((a) => !a.startsWith('-'));
  if (files.length === 0) return io.stdin;
  let text = '';
  for (const f of files) {
    const content = shell.readFile(f);
    if (content === undefined) {
      shell.err(io, `${argv[0]}: ${f}: No such file or directory\n`);
      return undefined;
    }
    text += content;
  }
  return text;
}

function countArg(argv: readonly string[], fallback: number): { n: number; rest: string[] } {
  const rest: string[] = [argv[0]!];
  let n = fallback;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-n' || a === '-c') n = Number(argv[++i]);
    else if (/^-n\d+$/.test(a)) n = Number(a.slice(2));
    else if (/^-\d+$/.test(a)) n = Number(a.slice(1));
    else if (a === '-f' || a === '-F') continue;
    else rest.push(a);
  }
  return { n, rest };
}

define('head', (shell, argv, io) => {
  const { n, rest } = countArg(argv, 10);
  const text = inputOf(shell, rest, io);
  if (text === undefined) return 1;
  shell.out(
    io,
    lines(text)
      .slice(0, n)
      .map((l) => `${l}\n`)
      .join(''),
  );
  return 0;
});

define('tail', (shell, argv, io) => {
  const { n, rest } = countArg(argv, 10);
  const follow = argv.includes('-f') || argv.includes('-F');
  if (follow && rest.slice(1).some((f) => f === '/dev/null')) return { code: 0, forever: { kind: 'silent' } };
  const text = inputOf(shell, rest, io);
  if (text === undefined) return 1;
  shell.out(
    io,
    lines(text)
      .slice(-n)
      .map((l) => `${l}\n`)
      .join(''),
  );
  return follow ? { code: 0, forever: { kind: 'silent' } } : 0;
});

define('wc', (shell, argv, io) => {
  const text = inputOf(shell, argv, io);
  if (text === undefined) return 1;
  const counts = {
    l: (text.match(/\n/g) ?? []).length,
    w: text.split(/\s+/).filter(Boolean).length,
    c: Buffer.byteLength(text),
  };
  const flags = argv
    .slice(1)
    .filter((a) => a.startsWith('-'))
    .join('');
  const chosen = (['l', 'w', 'c'] as const).filter(
    (f) => flags.includes(f) || flags.includes(f === 'c' ? 'm' : f),
  );
  const shown = chosen.length === 0 ? (['l', 'w', 'c'] as const) : chosen;
  const width = shown.length === 1 ? 0 : 7;
  shell.out(io, `${shown.map((f) => String(counts[f]).padStart(width)).join(width ? ' ' : '')}\n`);
  return 0;
});

define(['grep', 'egrep'], (shell, argv, io) => {
  const flags = argv
    .slice(1)
    .filter((a) => /^-[a-zA-Z]+$/.test(a))
    .join('');
  const args = argv.slice(1).filter((a) => !/^-[a-zA-Z]+$/.test(a));
  const pattern = args[0];
  if (pattern === undefined) return 2;
  const text = inputOf(shell, [argv[0]!, ...args.slice(1)], io);
  if (text === undefined) return 2;
  let regex: RegExp;
  try {
    regex = new RegExp(
      flags.includes('F') ? pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : pattern.replace(/\\\|/g, '|'),
      flags.includes('i') ? 'i' : '',
    );
  } catch {
    regex = new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  }
  const matched = lines(text).filter((l) => regex.test(l) !== flags.includes('v'));
  if (flags.includes('c')) shell.out(io, `${matched.length}\n`);
  else if (!flags.includes('q')) shell.out(io, matched.map((l) => `${l}\n`).join(''));
  return matched.length > 0 ? 0 : 1;
});

define('sort', (shell, argv, io) => {
  const text = inputOf(shell, argv, io);
  if (text === undefined) return 2;
  let out = lines(text).sort();
  if (argv.includes('-n')) out = out.sort((a, b) => Number.parseFloat(a) - Number.parseFloat(b));
  if (argv.includes('-r')) out.reverse();
  if (argv.includes('-u')) out = [...new Set(out)];
  shell.out(io, out.map((l) => `${l}\n`).join(''));
  return 0;
});

define('uniq', (shell, argv, io) => {
  const text = inputOf(shell, argv, io);
  if (text === undefined) return 1;
  const out: { line: string; count: number }[] = [];
  for (const l of lines(text)) {
    const last = out[out.length - 1];
    if (last && last.line === l) last.count++;
    else out.push({ line: l, count: 1 });
  }
  const counted = argv.includes('-c');
  shell.out(
    io,
    out.map((o) => (counted ? `${String(o.count).padStart(7)} ${o.line}\n` : `${o.line}\n`)).join(''),
  );
  return 0;
});

define('cut', (shell, argv, io) => {
  let delimiter = '\t';
  let fields: number[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-d') delimiter = argv[++i] ?? '\t';
    else if (a.startsWith('-d')) delimiter = a.slice(2);
    else if (a === '-f') fields = (argv[++i] ?? '').split(',').map(Number);
    else if (a.startsWith('-f')) fields = a.slice(2).split(',').map(Number);
  }
  shell.out(
    io,
    lines(io.stdin)
      .map((l) => `${fields.map((f) => l.split(delimiter)[f - 1] ?? '').join(delimiter)}\n`)
      .join(''),
  );
  return 0;
});

define('tr', (shell, argv, io) => {
  const args = argv.slice(1).filter((a) => !a.startsWith('-'));
  const del = argv.includes('-d');
  const expand = (set: string) =>
    set
      .replace(/(.)-(.)/g, (_m, a: string, b: string) => {
        let s = '';
        for (let c = a.charCodeAt(0); c <= b.charCodeAt(0); c++) s += String.fromCharCode(c);
        return s;
      })
      .replace(/\[:upper:\]/g, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ')
      .replace(/\[:lower:\]/g, 'abcdefghijklmnopqrstuvwxyz')
      .replace(/\\n/g, '\n');
  const from = expand(args[0] ?? '');
  const to = expand(args[1] ?? '');
  let out = '';
  for (const ch of io.stdin) {
    const i = from.indexOf(ch);
    if (i < 0) out += ch;
    else if (!del) out += to[Math.min(i, to.length - 1)] ?? '';
  }
  shell.out(io, out);
  return 0;
});

define('rev', (shell, _argv, io) => {
  shell.out(
    io,
    lines(io.stdin)
      .map((l) => `${[...l].reverse().join('')}\n`)
      .join(''),
  );
  return 0;
});

define('tac', (shell, argv, io) => {
  const text = inputOf(shell, argv, io);
  if (text === undefined) return 1;
  shell.out(
    io,
    lines(text)
      .reverse()
      .map((l) => `${l}\n`)
      .join(''),
  );
  return 0;
});

define('tee', (shell, argv, io) => {
  const append = argv.includes('-a');
  for (const f of argv.slice(1).filter((a) => !a.startsWith('-')))
    shell.writeFile(f, (append ? (shell.readFile(f) ?? '') : '') + io.stdin);
  shell.out(io, io.stdin);
  return 0;
});

define('seq', (shell, argv, io) => {
  const nums = argv.slice(1).map(Number);
  const [first, step, last] =
    nums.length === 1
      ? [1, 1, nums[0]!]
      : nums.length === 2
        ? [nums[0]!, 1, nums[1]!]
        : [nums[0]!, nums[1]!, nums[2]!];
  let out = '';
  for (let i = first, n = 0; step > 0 ? i <= last : i >= last; i += step, n++) {
    if (n > 100_000) break;
    out += `${i}\n`;
  }
  shell.out(io, out);
  return 0;
});

define('expr', (shell, argv, io) => {
  const value = arithmetic(argv.slice(1).join(' ').replace(/\\\*/g, '*'), shell);
  shell.out(io, `${value}\n`);
  return value === 0 ? 1 : 0;
});

define('base64', (shell, argv, io) => {
  const text = inputOf(shell, argv, io) ?? '';
  if (argv.includes('-d') || argv.includes('--decode'))
    shell.out(io, Buffer.from(text.trim(), 'base64').toString('utf8'));
  else
    shell.out(
      io,
      `${(
        Buffer.from(text, 'utf8')
          .toString('base64')
          .match(/.{1,76}/g) ?? ['']
      ).join('\n')}\n`,
    );
  return 0;
});

define(['sha256sum', 'md5sum'], (shell, argv, io) => {
  const text = inputOf(shell, argv, io) ?? '';
  const hash = argv[0] === 'sha256sum' ? sha256Hex(text) : sha256Hex(`md5/${text}`).slice(0, 32);
  shell.out(io, `${hash}  ${argv[1] ?? '-'}\n`);
  return 0;
});

define('sed', (shell, argv, io) => {
  const script = argv.slice(1).find((a) => !a.startsWith('-'));
  const m = script === undefined ? null : /^s(.)(.*?)\1(.*?)\1(g?)$/.exec(script);
  const text = inputOf(shell, argv, io, 1) ?? '';
  if (m === null) {
    shell.out(io, text);
    return 0;
  }
  const regex = new RegExp(m[2]!, m[4] === 'g' ? 'g' : '');
  shell.out(
    io,
    lines(text)
      .map((l) => `${l.replace(regex, m[3]!.replace(/\\(\d)/g, '$$$1').replace(/&/g, '$&'))}\n`)
      .join(''),
  );
  return 0;
});

define('awk', (shell, argv, io) => {
  const program = argv.slice(1).find((a) => !a.startsWith('-')) ?? '';
  const m = /^\{\s*print\s+(.*?)\s*\}$/.exec(program.trim());
  const text = inputOf(shell, argv, io, 1) ?? '';
  if (m === null) return 0;
  const fields = m[1]!.split(/\s*,\s*/);
  shell.out(
    io,
    lines(text)
      .map((l) => {
        const cols = l.trim().split(/\s+/);
        return `${fields.map((f) => (f === '$0' ? l : f.startsWith('$') ? (cols[Number(f.slice(1)) - 1] ?? '') : f.replace(/^"|"$/g, ''))).join(' ')}\n`;
      })
      .join(''),
  );
  return 0;
});

define('jq', (shell, argv, io) => {
  const raw = argv.includes('-r');
  const filter = argv.slice(1).find((a) => !a.startsWith('-')) ?? '.';
  let value: unknown;
  try {
    value = JSON.parse(io.stdin);
  } catch {
    shell.err(io, 'parse error: Invalid numeric literal at line 1, column 10\n');
    return 2;
  }
  for (const key of filter.replace(/^\./, '').split('.').filter(Boolean)) {
    const m = /^([^[\]]*)(?:\[(\d+)\])?$/.exec(key);
    if (m === null) break;
    if (m[1] !== '')
      value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[m[1]!] : null;
    if (m[2] !== undefined) value = Array.isArray(value) ? value[Number(m[2])] : null;
  }
  value ??= null;
  const out = raw && typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  shell.out(io, `${out}\n`);
  return 0;
});

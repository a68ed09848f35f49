/**
 * The commands about time: `sleep` (which advances the shell's clock), `usleep` and `date`.
 */

import { timeFormats } from '../text.js';
import { define, isBusybox } from './shared.js';

/** Parses `sleep`'s argument (`5`, `0.5`, `1m`, `2h`, `infinity`); undefined when invalid. */
export function sleepMs(arg: string): number | undefined {
  if (arg === 'infinity' || arg === 'inf') return Number.POSITIVE_INFINITY;
  const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(arg);
  if (m === null) return undefined;
  const unit = { '': 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[
    m[2] as '' | 's' | 'm' | 'h' | 'd'
  ];
  return Math.round(Number(m[1]) * unit);
}

define('sleep', (shell, argv, io) => {
  const args = argv.slice(1);
  if (args.length === 0) {
    shell.err(
      io,
      isBusybox(shell)
        ? 'BusyBox v1.37.0 (2025-07-15 18:33:23 UTC) multi-call binary.\n\nUsage: sleep [N]...\n'
        : "sleep: missing operand\nTry 'sleep --help' for more information.\n",
    );
    return 1;
  }
  let total = 0;
  for (const a of args) {
    const ms = sleepMs(a);
    if (ms === undefined) {
      shell.err(
        io,
        isBusybox(shell)
          ? `sleep: invalid number '${a}'\n`
          : `sleep: invalid time interval '${a}'\nTry 'sleep --help' for more information.\n`,
      );
      return 1;
    }
    total += ms;
  }
  if (!Number.isFinite(total)) return { code: 0, forever: { kind: 'silent' } };
  shell.advance(total);
  return 0;
});

define('usleep', (shell, argv) => {
  shell.advance(Math.round(Number(argv[1] ?? 0) / 1000));
  return 0;
});

define('date', (shell, argv, io) => {
  const now = shell.run.startAbs + shell.t;
  const format = argv.slice(1).find((a) => a.startsWith('+'));
  if (format === undefined) {
    shell.out(io, `${timeFormats.date(now)}\n`);
    return 0;
  }
  const d = new Date(now);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const out = format.slice(1).replace(/%([a-zA-Z%])/g, (_m, c: string) => {
    switch (c) {
      case 'Y':
        return String(d.getUTCFullYear());
      case 'm':
        return p(d.getUTCMonth() + 1);
      case 'd':
        return p(d.getUTCDate());
      case 'H':
        return p(d.getUTCHours());
      case 'M':
        return p(d.getUTCMinutes());
      case 'S':
        return p(d.getUTCSeconds());
      case 's':
        return String(Math.floor(now / 1000));
      case 'T':
        return `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
      case 'F':
        return d.toISOString().slice(0, 10);
      case 'N':
        return `${p(d.getUTCMilliseconds(), 3)}000000`;
      case 'Z':
        return 'UTC';
      case 'z':
        return '+0000';
      case '%':
        return '%';
      default:
        return `%${c}`;
    }
  });
  shell.out(io, `${out}\n`);
  return 0;
});

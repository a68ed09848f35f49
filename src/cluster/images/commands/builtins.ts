/**
 * The shell builtins: `echo`, `printf`, `exit`, `cd`, `export`, `read`, `eval`, `exec`,
 * `command -v`, `kill`, `test`/`[` and the no-ops scripts call for their side effects.
 */

import { COMMANDS, type Shell } from '../shell.js';
import { arithmetic } from '../shell-expand.js';
import { define, unescapeText } from './shared.js';

define('echo', (shell, argv, io) => {
  let args = argv.slice(1);
  let newline = true;
  let escapes = shell.flavour === 'dash';
  while (args[0] !== undefined && /^-[neE]+$/.test(args[0])) {
    if (args[0].includes('n')) newline = false;
    if (args[0].includes('e')) escapes = true;
    if (args[0].includes('E')) escapes = false;
    args = args.slice(1);
  }
  let text = args.join(' ');
  if (escapes) text = unescapeText(text);
  shell.out(io, newline ? `${text}\n` : text);
  return 0;
});

define('printf', (shell, argv, io) => {
  const format = argv[1];
  if (format === undefined) {
    shell.err(io, 'printf: usage: printf format [arguments]\n');
    return 2;
  }
  const args = argv.slice(2);
  let out = '';
  let i = 0;
  do {
    out += unescapeText(format).replace(
      /%(-?\d*)(\.\d+)?([sdifxc%])/g,
      (_m, width: string, precision: string | undefined, conv: string) => {
        if (conv === '%') return '%';
        const arg = args[i++] ?? '';
        let value: string;
        if (conv === 'd' || conv === 'i') value = String(Math.trunc(Number(arg) || 0));
        else if (conv === 'f') value = (Number(arg) || 0).toFixed(precision ? Number(precision.slice(1)) : 6);
        else if (conv === 'x') value = Math.trunc(Number(arg) || 0).toString(16);
        else if (conv === 'c') value = arg.slice(0, 1);
        else value = precision ? arg.slice(0, Number(precision.slice(1))) : arg;
        const w = Number.parseInt(width || '0', 10);
        return w < 0 || width.startsWith('-') ? value.padEnd(Math.abs(w)) : value.padStart(w);
      },
    );
  } while (i < args.length && i > 0);
  shell.out(io, out);
  return 0;
});

define([':', 'true'], () => 0);
define('false', () => 1);

define('exit', (shell, argv) => ({
  code: argv[1] === undefined ? shell.status : Number.parseInt(argv[1], 10) & 0xff || 0,
  exited: true,
}));
define('return', (shell, argv) => ({
  code: argv[1] === undefined ? shell.status : Number.parseInt(argv[1], 10) & 0xff || 0,
  exited: true,
}));
define('break', () => ({ code: 0, control: 'break' }));
define('continue', () => ({ code: 0, control: 'continue' }));

define('cd', (shell, argv, io) => {
  const target = argv[1] ?? shell.variable('HOME') ?? '/';
  const abs = shell.resolvePath(target);
  if (!shell.isDir(abs)) {
    shell.err(
      io,
      `${shell.shellLabel()}cd: ${shell.flavour === 'bash' ? `${target}: No such file or directory` : `can't cd to ${target}`}\n`,
    );
    return shell.flavour === 'bash' ? 1 : 2;
  }
  shell.cwd = abs;
  return 0;
});

define('pwd', (shell, _argv, io) => {
  shell.out(io, `${shell.cwd}\n`);
  return 0;
});

define(['export', 'local', 'readonly'], (shell, argv) => {
  for (const a of argv.slice(1)) {
    if (a.startsWith('-')) continue;
    const eq = a.indexOf('=');
    if (eq > 0) shell.vars.set(a.slice(0, eq), a.slice(eq + 1));
    else if (!shell.vars.has(a)) shell.vars.set(a, '');
  }
  return 0;
});

define('unset', (shell, argv) => {
  for (const a of argv.slice(1)) if (!a.startsWith('-')) shell.vars.delete(a);
  return 0;
});

define(['set', 'trap', 'ulimit', 'umask', 'hash', 'alias', 'unalias', 'times', 'wait', 'sync'], () => 0);

define('shift', (shell, argv) => {
  shell.positional = shell.positional.slice(Number(argv[1] ?? 1));
  return 0;
});

define('let', (shell, argv) => {
  let last = 0;
  for (const expr of argv.slice(1)) {
    const m = /^([A-Za-z_]\w*)=(.*)$/.exec(expr);
    last = arithmetic(m ? m[2]! : expr, shell);
    if (m) shell.vars.set(m[1]!, String(last));
  }
  return last === 0 ? 1 : 0;
});

define('read', (shell, argv, io) => {
  const names = argv.slice(1).filter((a) => !a.startsWith('-'));
  const line = io.stdin.split('\n')[0] ?? '';
  if (io.stdin === '') return 1;
  const parts = line.split(/\s+/);
  names.forEach((name, i) => {
    shell.vars.set(name, i === names.length - 1 ? parts.slice(i).join(' ') : (parts[i] ?? ''));
  });
  return 0;
});

define(['eval'], (shell, argv, io) => {
  const outcome = shell.runScript(argv.slice(1).join(' '), io);
  return outcome;
});

define(['source', '.'], (shell, argv, io) => {
  const file = argv[1];
  const content = file === undefined ? undefined : shell.readFile(file);
  if (content === undefined) {
    shell.err(io, `${shell.shellLabel()}${argv[0]}: can't open '${file ?? ''}': No such file or directory\n`);
    return 1;
  }
  return shell.runScript(content, io);
});

define('exec', (shell, argv, io) => {
  if (argv.length < 2) return 0;
  const outcome = shell.command(argv.slice(1), io);
  if (outcome.forever) return outcome;
  return { code: outcome.code, exited: true };
});

define(['command', 'type', 'which'], (shell, argv, io) => {
  const names = argv.slice(1).filter((a) => !a.startsWith('-'));
  if (argv[0] === 'command' && !argv.includes('-v') && !argv.includes('-V')) return shell.command(names, io);
  let code = 0;
  for (const name of names) {
    if (shell.hasBinary(name) || COMMANDS.has(name)) {
      const path = `${['apk', 'sh', 'busybox'].includes(name) ? '/bin' : '/usr/bin'}/${name}`;
      shell.out(io, argv[0] === 'type' ? `${name} is ${path}\n` : `${path}\n`);
    } else code = 1;
  }
  return code;
});

define('kill', (shell, argv, io) => {
  const pids = argv.slice(1).filter((a) => !a.startsWith('-'));
  for (const pid of pids) {
    if (pid !== '1') {
      shell.err(io, `${shell.shellLabel()}kill: ${pid}: No such process\n`);
      return 1;
    }
  }
  return 0;
});

define(['test', '['], (shell, argv, io) => {
  let args = argv.slice(1);
  if (argv[0] === '[') {
    if (args[args.length - 1] !== ']') {
      shell.err(io, `${shell.shellLabel()}[: missing ]\n`);
      return 2;
    }
    args = args.slice(0, -1);
  }
  return evaluateTest(shell, args) ? 0 : 1;
});

function evaluateTest(shell: Shell, args: readonly string[]): boolean {
  if (args.length === 0) return false;
  if (args[0] === '!') return !evaluateTest(shell, args.slice(1));
  const andAt = args.indexOf('-a');
  if (andAt > 0)
    return evaluateTest(shell, args.slice(0, andAt)) && evaluateTest(shell, args.slice(andAt + 1));
  const orAt = args.indexOf('-o');
  if (orAt > 0) return evaluateTest(shell, args.slice(0, orAt)) || evaluateTest(shell, args.slice(orAt + 1));
  if (args.length === 1) return args[0] !== '';
  if (args.length === 2) {
    const [op, operand] = args as [string, string];
    switch (op) {
      case '-z':
        return operand === '';
      case '-n':
        return operand !== '';
      case '-e':
      case '-f':
      case '-r':
      case '-s':
      case '-x':
      case '-w':
        return op === '-s'
          ? (shell.readFile(operand) ?? '') !== ''
          : shell.readFile(operand) !== undefined || (op === '-e' && shell.isDir(operand));
      case '-d':
        return shell.isDir(operand);
      default:
        return false;
    }
  }
  const [a, op, b] = args as [string, string, string];
  const na = Number.parseInt(a, 10);
  const nb = Number.parseInt(b, 10);
  switch (op) {
    case '=':
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '-eq':
      return na === nb;
    case '-ne':
      return na !== nb;
    case '-lt':
      return na < nb;
    case '-le':
      return na <= nb;
    case '-gt':
      return na > nb;
    case '-ge':
      return na >= nb;
    default:
      return false;
  }
}

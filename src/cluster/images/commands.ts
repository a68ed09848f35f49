/**
 * The commands a container's shell runs: shell builtins (`echo`, `exit`, `test`, …), the
 * busybox/coreutils tools pods use (`sleep`, `cat`, `env`, `hostname`, `date`, `ls`, text
 * filters), the network tools (`ping`, `nslookup`, `wget`, `curl`, `nc`) answered through the
 * network view, package managers (`apk`, `apt-get`, `pip`), and the tools images bring
 * (`redis-cli`, `psql`, `consul`, `pxctl`, `nginx -v`). Output follows the real tools' wording:
 * busybox for alpine/busybox images, coreutils/GNU elsewhere, curl 7.61's error messages.
 */

import { vantageOf } from './apps.js';
import { HTTP_TO_HTTPS, SPOON_KNIFE_INDEX } from './pages.js';
import { infoOf } from './resolved.js';
import { COMMANDS, type CommandImpl, type IO, type Outcome, type Shell } from './shell.js';
import { arithmetic } from './shell-expand.js';
import { intHash, sha256Hex, timeFormats } from './text.js';
import type { TimedLine } from './timeline.js';
import type { Connection, HttpAnswer, NetworkView, Vantage } from './types.js';

const define = (names: string | readonly string[], impl: CommandImpl) => {
  for (const name of typeof names === 'string' ? [names] : names) COMMANDS.set(name, impl);
};

const isBusybox = (shell: Shell) => shell.run.image.os === 'alpine' || shell.run.image.os === 'busybox';

// ------------------------------------------------------------------------------------------ the network

/** A network where nothing resolves and nothing answers (a container run without its context). */
const OFFLINE: NetworkView = {
  resolve: () => undefined,
  connect: () => ({ ok: false, error: 'timeout' }),
};

function network(shell: Shell): { view: NetworkView; from: Vantage } {
  shell.touchNetwork();
  const ctx = shell.run.context;
  return ctx === undefined
    ? { view: OFFLINE, from: { kind: 'external' } }
    : { view: ctx.network, from: vantageOf(ctx) };
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** Resolves a host as the container's resolver would (IP literals, `localhost`, cluster DNS). */
function lookup(
  shell: Shell,
  host: string,
): { addresses: readonly string[]; canonicalName: string } | undefined {
  if (IPV4.test(host)) return { addresses: [host], canonicalName: host };
  if (host === 'localhost' || host === shell.run.context?.podName) {
    return {
      addresses: [host === 'localhost' ? '127.0.0.1' : (shell.run.context?.podIP ?? '127.0.0.1')],
      canonicalName: host,
    };
  }
  const { view, from } = network(shell);
  return view.resolve(host, from);
}

/** Connects from the container (`127.0.0.1` is the pod itself). */
function connect(shell: Shell, ip: string, port: number): Connection {
  const ctx = shell.run.context;
  const loopback = ip.startsWith('127.') || (ctx !== undefined && ip === ctx.podIP);
  const local = loopback ? shell.run.local?.(port) : undefined;
  if (local !== undefined && ctx !== undefined) {
    return {
      ok: true,
      namespace: ctx.namespace,
      podName: ctx.podName,
      podIP: ctx.podIP,
      port,
      behaviour: local,
      context: ctx,
    };
  }
  const { view, from } = network(shell);
  const target = ip.startsWith('127.') && ctx ? ctx.podIP : ip;
  const connection = view.connect(target, port, from);
  // Loopback never drops packets: nothing listening is a refusal at once.
  return loopback && !connection.ok ? { ok: false, error: 'refused' } : connection;
}

/** The time a request arrives, for answers that depend on it. */
function requestContext(shell: Shell, connection: Extract<Connection, { ok: true }>) {
  return { ...connection.context, now: shell.run.startAbs + shell.t };
}

// ------------------------------------------------------------------------------------------ builtins

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

function unescapeText(text: string): string {
  return text.replace(/\\(n|t|r|\\|e|a|0[0-7]*|c)/g, (_m, c: string) => {
    switch (c[0]) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case '\\':
        return '\\';
      case 'e':
        return '\x1b';
      case 'a':
        return '\x07';
      case 'c':
        return '';
      default:
        return String.fromCharCode(Number.parseInt(c.slice(1) || '0', 8));
    }
  });
}

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

// ------------------------------------------------------------------------------------------ time

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

// ------------------------------------------------------------------------------------------ files and system

define('cat', (shell, argv, io) => {
  const files = argv.slice(1).filter((a) => a === '-' || !a.startsWith('-'));
  if (files.length === 0) {
    shell.out(io, io.stdin);
    return 0;
  }
  let code = 0;
  for (const file of files) {
    if (file === '-') {
      shell.out(io, io.stdin);
      continue;
    }
    const content = shell.readFile(file);
    if (content === undefined) {
      const why = shell.isDir(file) ? 'Is a directory' : 'No such file or directory';
      shell.err(io, isBusybox(shell) ? `cat: can't open '${file}': ${why}\n` : `cat: ${file}: ${why}\n`);
      code = 1;
      continue;
    }
    shell.out(io, content);
  }
  return code;
});

define(['env', 'printenv'], (shell, argv, io) => {
  const args = argv.slice(1).filter((a) => !a.startsWith('-'));
  const assigns = args.filter((a) => a.includes('=') && argv[0] === 'env');
  const rest = args.filter((a) => !assigns.includes(a));
  if (argv[0] === 'env' && rest.length > 0) {
    const child = shell.fork();
    for (const a of assigns) child.vars.set(a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1));
    const outcome = child.command(rest, io);
    shell.t = child.t;
    return outcome;
  }
  if (argv[0] === 'printenv' && rest.length > 0) {
    let code = 0;
    for (const name of rest) {
      const value = shell.vars.get(name);
      if (value === undefined) code = 1;
      else shell.out(io, `${value}\n`);
    }
    return code;
  }
  const vars = new Map(shell.vars);
  for (const a of assigns) vars.set(a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1));
  if (!vars.has('HOME')) vars.set('HOME', '/root');
  if (isBusybox(shell) && !vars.has('SHLVL')) vars.set('SHLVL', '1');
  if (!vars.has('PWD')) vars.set('PWD', shell.cwd);
  if (shell.run.tty && !vars.has('TERM')) vars.set('TERM', 'xterm');
  shell.out(io, [...vars].map(([k, v]) => `${k}=${v}\n`).join(''));
  return 0;
});

define('hostname', (shell, argv, io) => {
  const ctx = shell.run.context;
  if (argv.includes('-i')) shell.out(io, `${ctx?.podIP ?? '127.0.0.1'}\n`);
  else shell.out(io, `${shell.vars.get('HOSTNAME') ?? ctx?.podName ?? 'localhost'}\n`);
  return 0;
});

define('whoami', (shell, _argv, io) => {
  shell.out(io, 'root\n');
  return 0;
});

define('id', (shell, _argv, io) => {
  shell.out(
    io,
    isBusybox(shell)
      ? 'uid=0(root) gid=0(root) groups=0(root),1(bin),2(daemon),3(sys),4(adm),6(disk),10(wheel),11(floppy),20(dialout),26(tape),27(video)\n'
      : 'uid=0(root) gid=0(root) groups=0(root)\n',
  );
  return 0;
});

define('uname', (shell, argv, io) => {
  const host = shell.vars.get('HOSTNAME') ?? shell.run.context?.podName ?? 'localhost';
  const kernel = '6.8.0-85-generic';
  if (argv.includes('-a')) {
    shell.out(
      io,
      `Linux ${host} ${kernel} #85-Ubuntu SMP PREEMPT_DYNAMIC Thu Sep 18 15:26:59 UTC 2025 x86_64 ${isBusybox(shell) ? 'Linux' : 'GNU/Linux'}\n`,
    );
  } else if (argv.includes('-r')) shell.out(io, `${kernel}\n`);
  else if (argv.includes('-m')) shell.out(io, 'x86_64\n');
  else if (argv.includes('-n')) shell.out(io, `${host}\n`);
  else shell.out(io, 'Linux\n');
  return 0;
});

define('nproc', (shell, _argv, io) => {
  shell.out(io, '2\n');
  return 0;
});

define('uptime', (shell, _argv, io) => {
  const now = new Date(shell.run.startAbs + shell.t);
  shell.out(
    io,
    ` ${now.toISOString().slice(11, 19)} up 1 day,  2:03,  0 users,  load average: 0.21, 0.18, 0.12\n`,
  );
  return 0;
});

define('ps', (shell, argv, io) => {
  const main = (shell.run.mainArgv ?? ['sh']).join(' ');
  const mine = argv.join(' ');
  if (isBusybox(shell)) {
    shell.out(
      io,
      `PID   USER     TIME  COMMAND\n    1 root      0:00 ${main}\n   ${intHash(7, 60, main)} root      0:00 ${mine}\n`,
    );
  } else {
    shell.out(
      io,
      `    PID TTY          TIME CMD\n      1 ?        00:00:00 ${main.split(' ')[0]!.split('/').pop()}\n     ${intHash(7, 60, main)} ?        00:00:00 ps\n`,
    );
  }
  return 0;
});

define('touch', (shell, argv) => {
  for (const f of argv.slice(1).filter((a) => !a.startsWith('-')))
    if (shell.readFile(f) === undefined) shell.writeFile(f, '');
  return 0;
});

define('mkdir', (shell, argv) => {
  for (const d of argv.slice(1).filter((a) => !a.startsWith('-')))
    shell.files.set(`${shell.resolvePath(d)}/`, '');
  return 0;
});

define(['rm', 'rmdir', 'unlink'], (shell, argv, io) => {
  const force = argv.some((a) => /^-[a-zA-Z]*f/.test(a));
  let code = 0;
  for (const f of argv.slice(1).filter((a) => !a.startsWith('-'))) {
    const abs = shell.resolvePath(f);
    if (shell.readFile(abs) !== undefined) shell.writeFile(abs, undefined);
    else if (shell.isDir(abs)) {
      for (const key of [...shell.files.keys()]) if (key.startsWith(`${abs}/`)) shell.files.delete(key);
    } else if (!force) {
      shell.err(
        io,
        isBusybox(shell)
          ? `rm: can't remove '${f}': No such file or directory\n`
          : `rm: cannot remove '${f}': No such file or directory\n`,
      );
      code = 1;
    }
  }
  return code;
});

define(['cp', 'mv'], (shell, argv, io) => {
  const args = argv.slice(1).filter((a) => !a.startsWith('-'));
  if (args.length < 2) return 1;
  const to = args[args.length - 1]!;
  for (const from of args.slice(0, -1)) {
    const content = shell.readFile(from);
    if (content === undefined) {
      shell.err(io, `${argv[0]}: can't stat '${from}': No such file or directory\n`);
      return 1;
    }
    const target = shell.isDir(to) ? `${to}/${from.split('/').pop()}` : to;
    shell.writeFile(target, content);
    if (argv[0] === 'mv') shell.writeFile(from, undefined);
  }
  return 0;
});

define(['chmod', 'chown', 'ln', 'mount', 'logger'], () => 0);

define('ls', (shell, argv, io) => {
  const flags = argv
    .slice(1)
    .filter((a) => a.startsWith('-'))
    .join('');
  const paths = argv.slice(1).filter((a) => !a.startsWith('-'));
  const long = flags.includes('l');
  const all = flags.includes('a');
  let code = 0;
  const targets = paths.length === 0 ? ['.'] : paths;
  targets.forEach((path, index) => {
    const abs = shell.resolvePath(path);
    const entries = shell.listDir(abs);
    if (entries === undefined) {
      if (shell.readFile(abs) !== undefined) {
        shell.out(
          io,
          long ? `${longLine(shell, abs.split('/').pop()!, shell.readFile(abs)!.length)}\n` : `${path}\n`,
        );
        return;
      }
      shell.err(
        io,
        isBusybox(shell)
          ? `ls: ${path}: No such file or directory\n`
          : `ls: cannot access '${path}': No such file or directory\n`,
      );
      code = isBusybox(shell) ? 1 : 2;
      return;
    }
    if (targets.length > 1) shell.out(io, `${index > 0 ? '\n' : ''}${path}:\n`);
    const mounted = new Map((shell.run.context?.listDir?.(abs) ?? []).map((e) => [e.name, e]));
    const names = entries.filter((n) => all || !n.startsWith('.'));
    if (long) {
      shell.out(io, `total ${names.length * 4}\n`);
      for (const name of names) {
        const entry = mounted.get(name);
        const size = entry?.size ?? shell.readFile(`${abs}/${name}`)?.length ?? 4096;
        shell.out(
          io,
          `${longLine(shell, name, size, entry?.target, entry?.directory ?? shell.isDir(`${abs}/${name}`))}\n`,
        );
      }
    } else if (names.length > 0) {
      shell.out(io, shell.run.tty ? `${names.join('  ')}\n` : names.map((n) => `${n}\n`).join(''));
    }
  });
  return code;
});

function longLine(shell: Shell, name: string, size: number, target?: string, directory = false): string {
  const mode = target !== undefined ? 'lrwxrwxrwx' : directory ? 'drwxr-xr-x' : '-rw-r--r--';
  const date = timeFormats.ls(shell.run.context?.startedAt ?? shell.run.startAbs);
  const shown = target !== undefined ? target.length : size;
  const suffix = target !== undefined ? ` -> ${target}` : '';
  if (isBusybox(shell))
    return `${mode}    1 root     root     ${String(shown).padStart(9)} ${date} ${name}${suffix}`;
  return `${mode} 1 root root ${String(shown).padStart(4)} ${date} ${name}${suffix}`;
}

// ------------------------------------------------------------------------------------------ text filters

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

// ------------------------------------------------------------------------------------------ network tools

/** `ping` (busybox format: `64 bytes from 1.1.1.1: seq=0 ttl=57 time=1.102 ms`). */
define(['ping', 'ping6'], (shell, argv, io) => {
  let count: number | undefined;
  let interval = 1000;
  let quiet = false;
  let host: string | undefined;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-c') count = Number(argv[++i]);
    else if (/^-c\d+$/.test(a)) count = Number(a.slice(2));
    else if (a === '-i') interval = Math.max(200, Number(argv[++i]) * 1000);
    else if (a === '-W' || a === '-w' || a === '-s' || a === '-t') i++;
    else if (a === '-q') quiet = true;
    else if (!a.startsWith('-')) host = a;
  }
  const busybox = isBusybox(shell);
  if (host === undefined) {
    shell.err(
      io,
      busybox
        ? 'BusyBox v1.37.0 (2025-07-15 18:33:23 UTC) multi-call binary.\n\nUsage: ping [OPTIONS] HOST\n'
        : 'ping: usage error: Destination address required\n',
    );
    return busybox ? 1 : 2;
  }
  const resolved = lookup(shell, host);
  if (resolved === undefined || resolved.addresses.length === 0) {
    shell.err(io, busybox ? `ping: bad address '${host}'\n` : `ping: ${host}: Name or service not known\n`);
    return busybox ? 1 : 2;
  }
  const ip = resolved.addresses[0]!;
  const { view, from } = network(shell);
  const target = ip.startsWith('127.') && shell.run.context ? shell.run.context.podIP : ip;
  const answers = ip.startsWith('127.') || (view.pingable?.(target, from) ?? true);
  const inCluster = ip.startsWith('10.') || ip.startsWith('127.');
  const ttl = ip.startsWith('127.')
    ? 64
    : inCluster
      ? target === shell.run.context?.podIP
        ? 64
        : 63
      : ip === '8.8.8.8'
        ? 117
        : 57;
  const base = ip.startsWith('127.') ? 0.04 : inCluster ? 0.08 : 1.0;
  const rtt = (n: number) =>
    base + intHash(0, 999, ip, n, shell.run.context?.podName ?? '') / (inCluster ? 4000 : 900);
  const reply = (n: number) => `64 bytes from ${ip}: seq=${n} ttl=${ttl} time=${rtt(n).toFixed(3)} ms\n`;
  const replyGnu = (n: number) =>
    `64 bytes from ${ip === host ? ip : `${host} (${ip})`}: icmp_seq=${n + 1} ttl=${ttl} time=${rtt(n).toFixed(busybox ? 3 : 2)} ms\n`;
  shell.out(
    io,
    busybox ? `PING ${host} (${ip}): 56 data bytes\n` : `PING ${host} (${ip}) 56(84) bytes of data.\n`,
  );
  if (count === undefined) {
    if (!answers || quiet) return { code: 0, forever: { kind: 'silent' } };
    const at = shell.t;
    return periodic(io, at, interval, (n) => [
      { at: Math.round(rtt(n)), text: (busybox ? reply(n) : replyGnu(n)).trimEnd() },
    ]);
  }
  const times: number[] = [];
  for (let n = 0; n < count; n++) {
    if (n > 0) shell.advance(interval);
    if (answers) {
      times.push(rtt(n));
      if (!quiet) shell.out(io, busybox ? reply(n) : replyGnu(n));
    }
  }
  shell.advance(answers ? Math.round(rtt(count - 1)) : 1000);
  const received = times.length;
  const loss = Math.round(((count - received) / Math.max(count, 1)) * 100);
  shell.out(io, `\n--- ${host} ping statistics ---\n`);
  if (busybox) {
    shell.out(io, `${count} packets transmitted, ${received} packets received, ${loss}% packet loss\n`);
    if (received > 0) {
      const avg = times.reduce((a, b) => a + b, 0) / received;
      shell.out(
        io,
        `round-trip min/avg/max = ${Math.min(...times).toFixed(3)}/${avg.toFixed(3)}/${Math.max(...times).toFixed(3)} ms\n`,
      );
    }
  } else {
    shell.out(
      io,
      `${count} packets transmitted, ${received} received, ${loss}% packet loss, time ${(count - 1) * interval}ms\n`,
    );
    if (received > 0) {
      const avg = times.reduce((a, b) => a + b, 0) / received;
      shell.out(
        io,
        `rtt min/avg/max/mdev = ${Math.min(...times).toFixed(3)}/${avg.toFixed(3)}/${Math.max(...times).toFixed(3)}/0.012 ms\n`,
      );
    }
  }
  return received > 0 ? 0 : 1;
});

/** A never-ending output: one batch of lines every `period` ms, to wherever `io.out` goes. */
function periodic(
  io: IO,
  at: number,
  period: number,
  lines: (n: number) => { at: number; text: string }[],
): Outcome {
  if (io.out.kind !== 'log') return { code: 0, forever: { kind: 'silent' } };
  const stream = io.out.stream;
  return {
    code: 0,
    forever: {
      kind: 'loop',
      at,
      period,
      iteration: (n): TimedLine[] => lines(n).map((l) => ({ at: l.at, text: l.text, stream })),
    },
  };
}

const RESOLVER = '10.96.0.10';

/** `nslookup` (the busybox format of image-catalog §10.5). */
define('nslookup', (shell, argv, io) => {
  const args = argv.slice(1).filter((a) => !a.startsWith('-'));
  const name = args[0];
  if (name === undefined) {
    shell.err(
      io,
      'BusyBox v1.37.0 (2025-07-15 18:33:23 UTC) multi-call binary.\n\nUsage: nslookup [HOST] [SERVER]\n',
    );
    return 1;
  }
  const { view, from } = network(shell);
  const ctx = shell.run.context;
  const server = args[1] ?? RESOLVER;
  const serverName = server === RESOLVER ? view.reverse?.(RESOLVER, from) : undefined;
  shell.out(io, `Server:    ${server}\nAddress 1: ${server}${serverName ? ` ${serverName}` : ''}\n\n`);
  const resolved = IPV4.test(name)
    ? { addresses: [name], canonicalName: view.reverse?.(name, from) ?? name }
    : ctx === undefined
      ? undefined
      : view.resolve(name, from);
  if (resolved === undefined || resolved.addresses.length === 0) {
    shell.err(io, `nslookup: can't resolve '${name}'\n`);
    return 1;
  }
  shell.out(io, `Name:      ${name}\n`);
  resolved.addresses.forEach((ip, i) => {
    const ptr = view.reverse?.(ip, from);
    shell.out(io, `Address ${i + 1}: ${ip}${ptr ? ` ${ptr}` : ''}\n`);
  });
  return 0;
});

/** `host NAME [SERVER]` and `dig` (bind-tools, when installed). */
define('host', (shell, argv, io) => {
  const args = argv.slice(1).filter((a) => !a.startsWith('-'));
  const name = args[0] ?? '';
  const { view, from } = network(shell);
  if (args[1] !== undefined)
    shell.out(io, `Using domain server:\nName: ${args[1]}\nAddress: ${args[1]}#53\nAliases: \n\n`);
  const resolved = view.resolve(name, from);
  if (resolved === undefined) {
    shell.out(io, `Host ${name} not found: 3(NXDOMAIN)\n`);
    return 1;
  }
  if (resolved.canonicalName !== name && !resolved.canonicalName.startsWith(`${name}.`))
    shell.out(io, `${name} is an alias for ${resolved.canonicalName}.\n`);
  for (const ip of resolved.addresses) shell.out(io, `${resolved.canonicalName} has address ${ip}\n`);
  return 0;
});

interface HttpTarget {
  readonly scheme: 'http' | 'https';
  readonly host: string;
  readonly port: number;
  readonly path: string;
}

function parseUrl(url: string): HttpTarget | undefined {
  const m = /^(?:(https?):\/\/)?(\[[^\]]+\]|[^/:?#]+)(?::(\d+))?([/?][^#]*)?/i.exec(url);
  if (m === null) return undefined;
  const scheme = (m[1]?.toLowerCase() ?? 'http') as 'http' | 'https';
  const path = m[4] ?? '/';
  return {
    scheme,
    host: m[2]!,
    port: m[3] ? Number(m[3]) : scheme === 'https' ? 443 : 80,
    path: path.startsWith('?') ? `/${path}` : path,
  };
}

const REASONS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  301: 'Moved Permanently',
  302: 'Found',
  304: 'Not Modified',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

type Fetched =
  | { readonly kind: 'dns' }
  | { readonly kind: 'refused' | 'timeout' | 'unreachable'; readonly ip: string }
  | { readonly kind: 'empty'; readonly ip: string }
  | { readonly kind: 'tls-wrong-version'; readonly ip: string }
  | { readonly kind: 'tls-untrusted'; readonly ip: string }
  | { readonly kind: 'answer'; readonly ip: string; readonly answer: HttpAnswer };

/** Sends one HTTP request from the container. */
function fetchHttp(
  shell: Shell,
  target: HttpTarget,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
  insecure: boolean,
): Fetched {
  const resolved = lookup(shell, target.host);
  if (resolved === undefined || resolved.addresses.length === 0) return { kind: 'dns' };
  const ip = resolved.addresses[0]!;
  const connection = connect(shell, ip, target.port);
  if (!connection.ok) return { kind: connection.error, ip };
  const port = connection.behaviour.ports.find((p) => p.port === connection.port);
  const tls = port?.tls === true;
  if (target.scheme === 'https' && !tls) return { kind: 'tls-wrong-version', ip };
  if (target.scheme === 'https' && !insecure) return { kind: 'tls-untrusted', ip };
  if (target.scheme === 'http' && tls)
    return {
      kind: 'answer',
      ip,
      answer: {
        status: 400,
        headers: { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' },
        body: HTTP_TO_HTTPS,
      },
    };
  const answer = connection.behaviour.http(
    {
      method,
      path: target.path,
      port: connection.port,
      headers: { Host: target.host, ...headers },
      ...(body === undefined ? {} : { body }),
      clientIP: shell.run.context?.podIP ?? '10.0.0.11',
    },
    requestContext(shell, connection),
  );
  if (answer === undefined || answer.status === 0) return { kind: 'empty', ip };
  return { kind: 'answer', ip, answer };
}

function headerLines(answer: HttpAnswer, now: number): [string, string][] {
  const headers: [string, string][] = [];
  const given = answer.headers ?? {};
  const has = (name: string) => Object.keys(given).some((k) => k.toLowerCase() === name.toLowerCase());
  if (given.Server) headers.push(['Server', given.Server]);
  headers.push(['Date', new Date(now).toUTCString()]);
  for (const [k, v] of Object.entries(given)) if (k !== 'Server') headers.push([k, v]);
  if (!has('Content-Length'))
    headers.push(['Content-Length', String(Buffer.byteLength(answer.body, 'latin1'))]);
  if (!has('Connection')) headers.push(['Connection', 'keep-alive']);
  return headers;
}

/** `curl` (curl 7.61's messages: `curl: (7) Failed to connect to web port 80: Connection refused`). */
define('curl', (shell, argv, io) => {
  let silent = false;
  let showError = false;
  let verbose = false;
  let include = false;
  let head = false;
  let follow = false;
  let insecure = false;
  let fail = false;
  let maxTime: number | undefined;
  let connectTimeout: number | undefined;
  let method: string | undefined;
  let data: string | undefined;
  let output: string | undefined;
  let remoteName = false;
  let writeOut: string | undefined;
  const headers: Record<string, string> = {};
  const urls: string[] = [];
  const withValue = new Set(['m', 'X', 'd', 'H', 'o', 'A', 'u', 'w', 'e', 'b', 'c', 'E', 'T', 'F', 'x', 'r']);
  const take = (name: string, value: string) => {
    switch (name) {
      case 'm':
      case '--max-time':
        maxTime = Number(value) * 1000;
        break;
      case '--connect-timeout':
        connectTimeout = Number(value) * 1000;
        break;
      case 'X':
      case '--request':
        method = value;
        break;
      case 'd':
      case '--data':
      case '--data-raw':
      case '--data-binary':
        data = value.startsWith('@') ? (shell.readFile(value.slice(1)) ?? '') : value;
        break;
      case 'H':
      case '--header': {
        const colon = value.indexOf(':');
        if (colon > 0) headers[value.slice(0, colon).trim()] = value.slice(colon + 1).trim();
        break;
      }
      case 'o':
      case '--output':
        output = value;
        break;
      case 'A':
      case '--user-agent':
        headers['User-Agent'] = value;
        break;
      case 'w':
      case '--write-out':
        writeOut = value;
        break;
      default:
        break;
    }
  };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--')) {
      const [name, inline] = a.includes('=')
        ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]
        : [a, undefined];
      const flags: Record<string, () => void> = {
        '--silent': () => (silent = true),
        '--show-error': () => (showError = true),
        '--verbose': () => (verbose = true),
        '--include': () => (include = true),
        '--head': () => (head = true),
        '--location': () => (follow = true),
        '--insecure': () => (insecure = true),
        '--fail': () => (fail = true),
        '--remote-name': () => (remoteName = true),
      };
      const flag = flags[name];
      if (flag) flag();
      else if (
        [
          '--max-time',
          '--connect-timeout',
          '--request',
          '--data',
          '--data-raw',
          '--data-binary',
          '--header',
          '--output',
          '--user-agent',
          '--write-out',
          '--retry',
          '--cacert',
          '--cert',
          '--key',
          '--resolve',
          '--url',
        ].includes(name)
      ) {
        const value = inline ?? argv[++i] ?? '';
        if (name === '--url') urls.push(value);
        else take(name, value);
      }
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        if (withValue.has(c)) {
          const value = j + 1 < a.length ? a.slice(j + 1) : (argv[++i] ?? '');
          take(c, value);
          break;
        }
        if (c === 's') silent = true;
        else if (c === 'S') showError = true;
        else if (c === 'v') verbose = true;
        else if (c === 'i') include = true;
        else if (c === 'I') head = true;
        else if (c === 'L') follow = true;
        else if (c === 'k') insecure = true;
        else if (c === 'f') fail = true;
        else if (c === 'O') remoteName = true;
      }
      continue;
    }
    urls.push(a);
  }
  const errors = !silent || showError;
  const say = (code: number, message: string): number => {
    if (errors) shell.err(io, `curl: (${code}) ${message}\n`);
    return code;
  };
  if (urls.length === 0) {
    shell.err(io, "curl: try 'curl --help' or 'curl --manual' for more information\n");
    return 2;
  }
  let code = 0;
  for (const url of urls) {
    let target = parseUrl(url);
    if (target === undefined) {
      code = say(3, `URL using bad/illegal format or missing URL`);
      continue;
    }
    const verb = method ?? (head ? 'HEAD' : data !== undefined ? 'POST' : 'GET');
    const requestHeaders: Record<string, string> = { 'User-Agent': 'curl/7.61.1', Accept: '*/*', ...headers };
    if (data !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
      requestHeaders['Content-Type'] = 'application/x-www-form-urlencoded';
    let fetched = fetchHttp(shell, target, verb, requestHeaders, data, insecure);
    for (
      let hops = 0;
      follow &&
      fetched.kind === 'answer' &&
      [301, 302, 303, 307, 308].includes(fetched.answer.status) &&
      hops < 10;
      hops++
    ) {
      const location = fetched.answer.headers?.Location ?? fetched.answer.headers?.location;
      if (location === undefined) break;
      const next: HttpTarget | undefined = location.startsWith('/')
        ? { ...target, path: location }
        : parseUrl(location);
      if (next === undefined) break;
      target = next;
      fetched = fetchHttp(shell, target, verb, requestHeaders, data, insecure);
    }
    const limit = maxTime ?? connectTimeout;
    if (verbose && fetched.kind !== 'dns') shell.err(io, `*   Trying ${fetched.ip}:${target.port}...\n`);
    switch (fetched.kind) {
      case 'dns':
        code = say(6, `Could not resolve host: ${target.host}`);
        continue;
      case 'refused':
        code = say(7, `Failed to connect to ${target.host} port ${target.port}: Connection refused`);
        continue;
      case 'unreachable':
        code = say(7, `Failed to connect to ${target.host} port ${target.port}: Network is unreachable`);
        continue;
      case 'timeout':
        if (limit !== undefined) {
          shell.advance(limit + 1);
          code = say(28, `Connection timed out after ${limit + 1} milliseconds`);
        } else {
          shell.advance(127_000);
          code = say(7, `Failed to connect to ${target.host} port ${target.port}: Connection timed out`);
        }
        continue;
      case 'empty':
        code = say(52, 'Empty reply from server');
        continue;
      case 'tls-wrong-version':
        code = say(35, 'error:1408F10B:SSL routines:ssl3_get_record:wrong version number');
        continue;
      case 'tls-untrusted':
        if (errors) {
          shell.err(
            io,
            'curl: (60) SSL certificate problem: unable to get local issuer certificate\nMore details here: https://curl.haxx.se/docs/sslcerts.html\n\ncurl failed to verify the legitimacy of the server and therefore could not\nestablish a secure connection to it. To learn more about this situation and\nhow to fix it, please visit the web page mentioned above.\n',
          );
        }
        code = 60;
        continue;
      default:
        break;
    }
    const answer = fetched.answer;
    const delay = answer.delayMs ?? 0;
    if (maxTime !== undefined && delay > maxTime) {
      shell.advance(maxTime);
      code = say(28, `Operation timed out after ${maxTime} milliseconds with 0 bytes received`);
      continue;
    }
    shell.advance(delay);
    const reason = REASONS[answer.status] ?? '';
    const statusLine = `HTTP/1.1 ${answer.status} ${reason}`.trimEnd();
    const responseHeaders = headerLines(answer, shell.run.startAbs + shell.t);
    if (verbose) {
      shell.err(
        io,
        `* Connected to ${target.host} (${fetched.ip}) port ${target.port} (#0)\n> ${verb} ${target.path} HTTP/1.1\n> Host: ${target.host}${target.port === 80 ? '' : `:${target.port}`}\n`,
      );
      for (const [k, v] of Object.entries(requestHeaders)) shell.err(io, `> ${k}: ${v}\n`);
      shell.err(io, `> \n< ${statusLine}\n`);
      for (const [k, v] of responseHeaders) shell.err(io, `< ${k}: ${v}\n`);
      shell.err(io, '< \n');
    }
    if (fail && answer.status >= 400) {
      code = say(22, `The requested URL returned error: ${answer.status} ${reason}`.trimEnd());
      continue;
    }
    let shown = '';
    if (include || head)
      shown += `${statusLine}\r\n${responseHeaders.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
    if (!head) shown += answer.body;
    const file = output ?? (remoteName ? target.path.split('/').pop() || 'index.html' : undefined);
    if (file !== undefined && file !== '-') {
      shell.writeFile(file, shown);
      if (!silent) shell.err(io, progressMeter(Buffer.byteLength(shown, 'latin1')));
    } else {
      if (!silent && !shell.run.tty && io.out.kind !== 'buffer')
        shell.err(io, progressMeter(Buffer.byteLength(shown, 'latin1')));
      shell.out(io, shown);
    }
    if (writeOut !== undefined)
      shell.out(
        io,
        unescapeText(
          writeOut
            .replace(/%\{http_code\}/g, String(answer.status))
            .replace(/%\{size_download\}/g, String(answer.body.length))
            .replace(/%\{time_total\}/g, (delay / 1000).toFixed(6)),
        ),
      );
    if (verbose) shell.err(io, `* Connection #0 to host ${target.host} left intact\n`);
    code = 0;
  }
  return code;
});

function progressMeter(bytes: number): string {
  const size = String(bytes).padStart(6);
  return `  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n\r100${size}  100${size}    0     0   597k      0 --:--:-- --:--:-- --:--:--  597k\n`;
}

/** `wget` (busybox's wording in alpine and busybox images, GNU wget's elsewhere). */
define('wget', (shell, argv, io) => {
  let quiet = false;
  let output: string | undefined;
  let spider = false;
  let timeout = 900_000;
  let url: string | undefined;
  const headers: Record<string, string> = {};
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-O' || a === '--output-document') output = argv[++i];
    else if (a.startsWith('-O') && a.length > 2) output = a.slice(2);
    else if (a === '-T' || a === '--timeout') timeout = Number(argv[++i]) * 1000;
    else if (a.startsWith('--timeout=')) timeout = Number(a.slice(10)) * 1000;
    else if (a === '--spider') spider = true;
    else if (a === '--header') {
      const h = argv[++i] ?? '';
      headers[h.slice(0, h.indexOf(':'))] = h.slice(h.indexOf(':') + 1).trim();
    } else if (a === '-U') headers['User-Agent'] = argv[++i] ?? '';
    else if (/^-[a-zA-Z]/.test(a)) {
      // A cluster of short options: `-q`, `-qO-`, `-qO file`, `-T5`.
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        if (c === 'q') quiet = true;
        else if (c === 'O' || c === 'T') {
          const value = j + 1 < a.length ? a.slice(j + 1) : (argv[++i] ?? '');
          if (c === 'O') output = value;
          else timeout = Number(value) * 1000;
          break;
        }
      }
    } else if (!a.startsWith('-')) url = a;
  }
  const busybox = isBusybox(shell);
  if (url === undefined) {
    shell.err(
      io,
      busybox
        ? 'BusyBox v1.37.0 (2025-07-15 18:33:23 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[-P DIR] [-U AGENT] [-T SEC] URL...\n'
        : 'wget: missing URL\nUsage: wget [OPTION]... [URL]...\n',
    );
    return 1;
  }
  const target = parseUrl(url);
  if (target === undefined) {
    shell.err(io, `wget: bad address '${url}'\n`);
    return 1;
  }
  const file = output ?? (target.path.split('?')[0]!.split('/').pop() || 'index.html');
  const fetched = fetchHttp(
    shell,
    target,
    spider ? 'HEAD' : 'GET',
    { 'User-Agent': busybox ? 'Wget' : 'Wget/1.21.3', ...headers },
    undefined,
    true,
  );
  const note = (text: string) => {
    if (!quiet) shell.err(io, text);
  };
  if (busybox) {
    if (fetched.kind === 'dns') {
      shell.err(io, `wget: bad address '${target.host}'\n`);
      return 1;
    }
    note(
      `Connecting to ${target.host}${target.host === fetched.ip ? '' : `:${target.port}`} (${fetched.ip}:${target.port})\n`,
    );
    if (fetched.kind === 'refused' || fetched.kind === 'unreachable') {
      shell.err(
        io,
        `wget: can't connect to remote host (${fetched.ip}): ${fetched.kind === 'refused' ? 'Connection refused' : 'Network is unreachable'}\n`,
      );
      return 1;
    }
    if (fetched.kind === 'timeout') {
      shell.advance(timeout);
      shell.err(io, 'wget: download timed out\n');
      return 1;
    }
    if (fetched.kind !== 'answer') {
      shell.err(
        io,
        fetched.kind === 'empty'
          ? 'wget: error getting response: Connection reset by peer\n'
          : 'wget: error getting response\n',
      );
      return 1;
    }
    const { answer } = fetched;
    if (answer.status >= 400) {
      shell.err(
        io,
        `wget: server returned error: HTTP/1.1 ${answer.status} ${REASONS[answer.status] ?? ''}\n`,
      );
      return 1;
    }
    shell.advance(answer.delayMs ?? 0);
    if (spider) {
      note('remote file exists\n');
      return 0;
    }
    const size = Buffer.byteLength(answer.body, 'latin1');
    if (file === '-') {
      note(`writing to stdout\n`);
      shell.out(io, answer.body);
      note(
        `-                    100% |********************************|  ${String(size).padStart(4)}  0:00:00 ETA\nwritten to stdout\n`,
      );
      return 0;
    }
    note(`saving to '${file}'\n`);
    shell.writeFile(file, answer.body);
    note(
      `${file.padEnd(20).slice(0, 20)} 100% |********************************|  ${String(size).padStart(4)}  0:00:00 ETA\n'${file}' saved\n`,
    );
    return 0;
  }
  const stamp = () => new Date(shell.run.startAbs + shell.t).toISOString().replace('T', ' ').slice(0, 19);
  note(`--${stamp()}--  ${url.includes('://') ? url : `http://${url}`}\n`);
  if (fetched.kind === 'dns') {
    note(`Resolving ${target.host} (${target.host})... failed: Name or service not known.\n`);
    shell.err(io, `wget: unable to resolve host address '${target.host}'\n`);
    return 4;
  }
  note(
    `${IPV4.test(target.host) ? '' : `Resolving ${target.host} (${target.host})... ${fetched.ip}\n`}Connecting to ${target.host} (${target.host})|${fetched.ip}|:${target.port}... `,
  );
  if (fetched.kind !== 'answer') {
    if (fetched.kind === 'timeout') shell.advance(timeout);
    note(
      fetched.kind === 'refused'
        ? 'failed: Connection refused.\n'
        : fetched.kind === 'timeout'
          ? 'failed: Connection timed out.\n'
          : 'failed: Network is unreachable.\n',
    );
    return 4;
  }
  const { answer } = fetched;
  note(
    `connected.\nHTTP request sent, awaiting response... ${answer.status} ${REASONS[answer.status] ?? ''}\n`,
  );
  if (answer.status >= 400) {
    note(`${stamp()} ERROR ${answer.status}: ${REASONS[answer.status] ?? ''}.\n\n`);
    return 8;
  }
  shell.advance(answer.delayMs ?? 0);
  const size = Buffer.byteLength(answer.body, 'latin1');
  const type = answer.headers?.['Content-Type']?.split(';')[0] ?? 'text/html';
  note(`Length: ${size} [${type}]\nSaving to: '${file === '-' ? 'STDOUT' : file}'\n\n`);
  if (file === '-') shell.out(io, answer.body);
  else shell.writeFile(file, answer.body);
  note(
    `${(file === '-' ? '-' : file).padEnd(20)}100%[===================>]     ${size}  --.-KB/s    in 0s      \n\n${stamp()} (58.7 MB/s) - '${file === '-' ? 'written to stdout' : file}' saved [${size}/${size}]\n\n`,
  );
  return 0;
});

/** `nc -z host port` (a connection test), `nc host port` with stdin. */
define(['nc', 'netcat'], (shell, argv, io) => {
  const flags = argv
    .slice(1)
    .filter((a) => a.startsWith('-'))
    .join('');
  const args = argv.slice(1).filter((a, i, all) => !a.startsWith('-') && !/^-[wWq]$/.test(all[i - 1] ?? ''));
  if (flags.includes('l')) return { code: 0, forever: { kind: 'silent' } };
  const [host, port] = args;
  if (host === undefined || port === undefined) {
    shell.err(
      io,
      'BusyBox v1.37.0 (2025-07-15 18:33:23 UTC) multi-call binary.\n\nUsage: nc [OPTIONS] HOST PORT  - connect\n',
    );
    return 1;
  }
  const resolved = lookup(shell, host);
  if (resolved === undefined) {
    shell.err(io, `nc: bad address '${host}'\n`);
    return 1;
  }
  const connection = connect(shell, resolved.addresses[0]!, Number(port));
  if (!connection.ok) {
    if (connection.error === 'timeout') shell.advance(flags.includes('w') ? 5000 : 127_000);
    if (flags.includes('v'))
      shell.err(
        io,
        `nc: ${host} (${resolved.addresses[0]}:${port}): ${connection.error === 'refused' ? 'Connection refused' : 'Operation timed out'}\n`,
      );
    return 1;
  }
  if (flags.includes('v')) shell.err(io, `${host} (${resolved.addresses[0]}:${port}) open\n`);
  if (!flags.includes('z') && io.stdin !== '') {
    const app = infoOf(connection.behaviour)?.app;
    if (app === 'redis') shell.out(io, redisReplies(io.stdin));
    else {
      const first = io.stdin.split('\r\n')[0] ?? '';
      const m = /^(\w+)\s+(\S+)/.exec(first);
      const answer = m
        ? connection.behaviour.http(
            { method: m[1]!, path: m[2]!, port: Number(port) },
            requestContext(shell, connection),
          )
        : undefined;
      if (answer)
        shell.out(io, `HTTP/1.1 ${answer.status} ${REASONS[answer.status] ?? ''}\r\n\r\n${answer.body}`);
    }
  }
  return 0;
});

function redisReplies(input: string): string {
  return input
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const cmd = l.trim().split(/\s+/)[0]!.toUpperCase();
      if (cmd === 'PING') return '+PONG\r\n';
      if (cmd === 'QUIT') return '+OK\r\n';
      if (cmd === 'INFO') {
        const body =
          '# Server\r\nredis_version:8.2.1\r\nredis_mode:standalone\r\nos:Linux 6.8.0-85-generic x86_64\r\narch_bits:64\r\ntcp_port:6379\r\n';
        return `$${body.length}\r\n${body}\r\n`;
      }
      if (cmd === 'SET') return '+OK\r\n';
      if (cmd === 'GET') return '$-1\r\n';
      return `-ERR unknown command '${l.trim().split(/\s+/)[0]}', with args beginning with: \r\n`;
    })
    .join('');
}

/** `redis-cli [-h host] [-p port] [cmd …]` against a redis the network leads to. */
define('redis-cli', (shell, argv, io) => {
  let host = '127.0.0.1';
  let port = 6379;
  const words: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-h') host = argv[++i] ?? host;
    else if (a === '-p') port = Number(argv[++i] ?? port);
    else if (a === '-a' || a === '-n') i++;
    else if (a.startsWith('--')) continue;
    else words.push(a);
  }
  const resolved = lookup(shell, host);
  if (resolved === undefined) {
    shell.err(io, `Could not connect to Redis at ${host}:${port}: Name or service not known\n`);
    return 1;
  }
  const connection = connect(shell, resolved.addresses[0]!, port);
  if (!connection.ok || infoOf(connection.behaviour)?.app !== 'redis') {
    shell.err(
      io,
      `Could not connect to Redis at ${host}:${port}: ${connection.ok || connection.error === 'refused' ? 'Connection refused' : 'Connection timed out'}\n`,
    );
    return 1;
  }
  if (words.length === 0) words.push(...(io.stdin.trim() === '' ? [] : io.stdin.trim().split(/\s+/)));
  const cmd = (words[0] ?? '').toUpperCase();
  const key = `redis:${connection.namespace}/${connection.podName}:${words[1] ?? ''}`;
  switch (cmd) {
    case '':
      return 0;
    case 'PING':
      shell.out(io, words[1] === undefined ? 'PONG\n' : `"${words[1]}"\n`);
      return 0;
    case 'SET':
      shell.installed.add(`${key}=${words[2] ?? ''}`);
      shell.out(io, 'OK\n');
      return 0;
    case 'GET': {
      const found = [...shell.installed].find((k) => k.startsWith(`${key}=`));
      shell.out(io, found === undefined ? '(nil)\n' : `"${found.slice(key.length + 1)}"\n`);
      return 0;
    }
    case 'INCR':
    case 'INCRBY':
      shell.out(io, `(integer) ${cmd === 'INCR' ? 1 : Number(words[2] ?? 1)}\n`);
      return 0;
    case 'DBSIZE':
      shell.out(io, '(integer) 0\n');
      return 0;
    case 'KEYS':
      shell.out(io, '(empty array)\n');
      return 0;
    case 'INFO':
      shell.out(
        io,
        `# Server\nredis_version:${infoOf(connection.behaviour)?.version ?? '8.2.1'}\nredis_mode:standalone\nos:Linux 6.8.0-85-generic x86_64\narch_bits:64\ntcp_port:${port}\n`,
      );
      return 0;
    default:
      shell.out(
        io,
        `(error) ERR unknown command '${words[0]}', with args beginning with: ${words
          .slice(1)
          .map((w) => `'${w}' `)
          .join('')}\n`,
      );
      return 0;
  }
});

// ------------------------------------------------------------------------------------------ package managers

const APK_VERSIONS: Record<string, string> = {
  curl: '8.14.1-r1',
  git: '2.49.1-r0',
  bash: '5.2.37-r0',
  jq: '1.8.0-r0',
  'bind-tools': '9.20.11-r0',
  python3: '3.12.11-r0',
  'py3-pip': '25.1.1-r0',
  redis: '8.0.3-r0',
  'postgresql-client': '17.5-r0',
  wget: '1.25.0-r1',
  'busybox-extras': '1.37.0-r18',
  openssl: '3.5.1-r0',
  'iputils-ping': '20240905-r0',
  'netcat-openbsd': '1.229.1-r0',
};

/** What a package puts on the PATH. */
const PACKAGE_BINARIES: Record<string, readonly string[]> = {
  curl: ['curl'],
  git: ['git'],
  bash: ['bash'],
  jq: ['jq'],
  'bind-tools': ['dig', 'host', 'nslookup'],
  dnsutils: ['dig', 'host', 'nslookup'],
  'bind-utils': ['dig', 'host', 'nslookup'],
  python3: ['python3', 'python'],
  python: ['python', 'python3'],
  'py3-pip': ['pip', 'pip3'],
  'python3-pip': ['pip', 'pip3'],
  redis: ['redis-cli', 'redis-server'],
  'redis-tools': ['redis-cli'],
  'postgresql-client': ['psql', 'pg_isready'],
  wget: ['wget'],
  'iputils-ping': ['ping'],
  iputils: ['ping'],
  'netcat-openbsd': ['nc'],
  'netcat-traditional': ['nc'],
  procps: ['ps', 'top'],
  iproute2: ['ip'],
  'busybox-extras': ['telnet'],
  telnet: ['telnet'],
};

function install(shell: Shell, packages: readonly string[]): void {
  for (const p of packages) {
    shell.installed.add(`pkg:${p}`);
    for (const bin of PACKAGE_BINARIES[p] ?? [p]) shell.installed.add(`bin:${bin}`);
  }
}

function internet(shell: Shell, host: string): boolean {
  const { view, from } = network(shell);
  return view.resolve(host, from) !== undefined;
}

define('apk', (shell, argv, io) => {
  const args = argv.slice(1);
  const sub = args.find((a) => !a.startsWith('-'));
  const packages = args.filter((a) => !a.startsWith('-') && a !== sub && !a.includes('='));
  const update =
    args.includes('-U') || args.includes('--update') || args.includes('--no-cache') || sub === 'update';
  const online = internet(shell, 'dl-cdn.alpinelinux.org');
  if (update) {
    for (const repo of ['main', 'community']) {
      shell.out(io, `fetch https://dl-cdn.alpinelinux.org/alpine/v3.22/${repo}/x86_64/APKINDEX.tar.gz\n`);
      if (!online)
        shell.err(
          io,
          `WARNING: updating and opening https://dl-cdn.alpinelinux.org/alpine/v3.22/${repo}: temporary error (try again later)\n`,
        );
    }
    shell.advance(800);
  }
  if (sub === 'update') {
    if (online)
      shell.out(
        io,
        'v3.22.1-49-g4d9b8b5e3a4 [https://dl-cdn.alpinelinux.org/alpine/v3.22/main]\nv3.22.1-51-g0ad7c5a44fa [https://dl-cdn.alpinelinux.org/alpine/v3.22/community]\nOK: 26326 distinct packages available\n',
      );
    return online ? 0 : 1;
  }
  if (sub !== 'add') {
    if (sub === undefined)
      shell.out(
        io,
        'apk-tools 2.14.9, compiled for x86_64.\n\nusage: apk [<OPTIONS>...] COMMAND [<ARGUMENTS>...]\n',
      );
    return 0;
  }
  if (!online) {
    shell.err(
      io,
      `ERROR: unable to select packages:\n${packages.map((p) => `  ${p} (no such package):\n    required by: world[${p}]\n`).join('')}`,
    );
    return 1;
  }
  const fresh = packages.filter((p) => !shell.installed.has(`pkg:${p}`));
  const deps = fresh.includes('curl')
    ? [
        'ca-certificates',
        'brotli-libs',
        'c-ares',
        'libunistring',
        'libidn2',
        'nghttp2-libs',
        'libpsl',
        'zstd-libs',
        'libcurl',
      ]
    : [];
  const all = [...deps, ...fresh];
  all.forEach((p, i) => {
    shell.out(io, `(${i + 1}/${all.length}) Installing ${p} (${APK_VERSIONS[p] ?? '1.0.0-r0'})\n`);
  });
  if (all.some((p) => p === 'ca-certificates'))
    shell.out(io, 'Executing busybox-1.37.0-r18.trigger\nExecuting ca-certificates-20250619-r0.trigger\n');
  shell.out(io, `OK: ${8 + all.length * 2} MiB in ${16 + all.length} packages\n`);
  install(shell, packages);
  shell.advance(1500);
  return 0;
});

define(['apt-get', 'apt'], (shell, argv, io) => {
  const args = argv.slice(1);
  const sub = args.find((a) => !a.startsWith('-'));
  const packages = args.filter((a) => !a.startsWith('-') && a !== sub);
  const online = internet(shell, 'deb.debian.org');
  if (sub === 'update') {
    if (!online) {
      shell.out(
        io,
        "Err:1 http://deb.debian.org/debian bookworm InRelease\n  Temporary failure resolving 'deb.debian.org'\n",
      );
      shell.err(
        io,
        'W: Some index files failed to download. They have been ignored, or old ones used instead.\n',
      );
      return 0;
    }
    shell.out(
      io,
      'Get:1 http://deb.debian.org/debian bookworm InRelease [151 kB]\nGet:2 http://deb.debian.org/debian bookworm-updates InRelease [55.4 kB]\nGet:3 http://deb.debian.org/debian-security bookworm-security InRelease [48.0 kB]\nGet:4 http://deb.debian.org/debian bookworm/main amd64 Packages [8792 kB]\nFetched 9047 kB in 2s (4523 kB/s)\nReading package lists...\n',
    );
    shell.installed.add('apt:updated');
    shell.advance(2000);
    return 0;
  }
  if (sub !== 'install') return 0;
  shell.out(io, 'Reading package lists...\nBuilding dependency tree...\nReading state information...\n');
  if (!shell.installed.has('apt:updated')) {
    shell.err(io, `E: Unable to locate package ${packages[0] ?? ''}\n`);
    return 100;
  }
  shell.out(
    io,
    `The following NEW packages will be installed:\n  ${packages.join(' ')}\n0 upgraded, ${packages.length} newly installed, 0 to remove and 0 not upgraded.\n`,
  );
  packages.forEach((p, i) => {
    shell.out(io, `Get:${i + 1} http://deb.debian.org/debian bookworm/main amd64 ${p} amd64 1.0 [120 kB]\n`);
  });
  for (const p of packages) {
    shell.out(io, `Selecting previously unselected package ${p}.\nSetting up ${p} (1.0) ...\n`);
  }
  install(shell, packages);
  shell.advance(3000);
  return 0;
});

define(['yum', 'dnf', 'microdnf'], (shell, argv, io) => {
  const args = argv.slice(1);
  const sub = args.find((a) => !a.startsWith('-'));
  const packages = args.filter((a) => !a.startsWith('-') && a !== sub);
  if (sub !== 'install') return 0;
  shell.out(
    io,
    `Dependencies resolved.\nInstalling:\n${packages.map((p) => ` ${p.padEnd(20)} x86_64   1.0-1.el8   baseos   120 k\n`).join('')}\nComplete!\n`,
  );
  install(shell, packages);
  shell.advance(3000);
  return 0;
});

define(['pip', 'pip3'], (shell, argv, io) => {
  const args = argv.slice(1);
  const sub = args.find((a) => !a.startsWith('-'));
  if (sub === '--version' || args.includes('--version') || args.includes('-V')) {
    shell.out(
      io,
      `pip 25.2 from /usr/local/lib/python3/site-packages/pip (python ${shell.run.image.version.split('.').slice(0, 2).join('.')})\n`,
    );
    return 0;
  }
  if (sub !== 'install') return 0;
  const packages = args.filter((a) => !a.startsWith('-') && a !== sub);
  if (!internet(shell, 'pypi.org')) {
    shell.out(
      io,
      `WARNING: Retrying (Retry(total=4, connect=None, read=None, redirect=None, status=None)) after connection broken by 'NewConnectionError': /simple/${packages[0]}/\n`,
    );
    shell.err(
      io,
      `ERROR: Could not find a version that satisfies the requirement ${packages[0]} (from versions: none)\nERROR: No matching distribution found for ${packages[0]}\n`,
    );
    return 1;
  }
  const versions: Record<string, string> = {
    redis: '3.5.3',
    requests: '2.32.5',
    flask: '3.1.2',
    Flask: '3.1.2',
  };
  for (const p of packages) {
    const v = versions[p] ?? '1.0.0';
    shell.out(
      io,
      `Collecting ${p}\n  Downloading ${p}-${v}-py${p === 'redis' ? '2.py3' : '3'}-none-any.whl (72 kB)\n`,
    );
  }
  shell.out(
    io,
    `Installing collected packages: ${packages.join(', ')}\nSuccessfully installed ${packages.map((p) => `${p}-${versions[p] ?? '1.0.0'}`).join(' ')}\n`,
  );
  shell.err(
    io,
    "WARNING: Running pip as the 'root' user can result in broken permissions and conflicting behaviour with the system package manager, possibly rendering your system unusable. It is recommended to use a virtual environment instead: https://pip.pypa.io/warnings/venv. Use the --root-user-action option if you know what you are doing and want to suppress this warning.\n",
  );
  for (const p of packages) shell.installed.add(`py:${p}`);
  shell.advance(3000);
  return 0;
});

define('git', (shell, argv, io) => {
  const args = argv.slice(1).filter((a) => !a.startsWith('-'));
  if (args[0] === 'version' || argv.includes('--version')) {
    shell.out(io, 'git version 2.49.1\n');
    return 0;
  }
  if (args[0] !== 'clone' || args[1] === undefined) return 0;
  const url = args[1];
  const name =
    url
      .replace(/\.git$/, '')
      .split('/')
      .pop() ?? 'repo';
  const dir = args[2] ?? name;
  const host = parseUrl(url)?.host ?? 'github.com';
  shell.err(io, `Cloning into '${dir}'...\n`);
  if (!internet(shell, host)) {
    shell.err(io, `fatal: unable to access '${url}/': Could not resolve host: ${host}\n`);
    return 128;
  }
  shell.advance(1000);
  const abs = shell.resolvePath(dir);
  if (/spoon-knife/i.test(url)) {
    shell.writeFile(`${abs}/index.html`, SPOON_KNIFE_INDEX);
    shell.writeFile(
      `${abs}/README.md`,
      '### Well hello there!\n\nThis repository is meant to provide an example for *forking* a repository on GitHub.\n',
    );
    shell.writeFile(`${abs}/styles.css`, '* {\n  margin:0px;\n  padding:0px;\n}\n');
  } else {
    shell.writeFile(`${abs}/README.md`, `# ${name}\n`);
  }
  return 0;
});

// ------------------------------------------------------------------------------------------ interpreters and images' tools

define(['python', 'python3', 'python2'], (shell, argv, io) => {
  const args = argv.slice(1);
  const version = shell.run.image.app === 'shell' ? shell.run.image.version : '3.12.11';
  if (args[0] === '-V' || args[0] === '--version') {
    shell.out(io, `Python ${version}\n`);
    return 0;
  }
  if (args[0] === '-c') {
    const code = args[1] ?? '';
    for (const m of code.matchAll(/print\(\s*(?:(['"])(.*?)\1|(\d+(?:\s*[-+*]\s*\d+)*))\s*\)/g)) {
      shell.out(io, `${m[2] ?? String(arithmetic(m[3] ?? '0', shell))}\n`);
    }
    if (/socket\.gethostname\(\)/.test(code)) shell.out(io, `${shell.run.context?.podName ?? 'localhost'}\n`);
    return 0;
  }
  if (args[0] === '-m' && args[1] === 'http.server') {
    const port = Number(args.slice(2).find((a) => /^\d+$/.test(a)) ?? 8000);
    return {
      code: 0,
      forever: { kind: 'app', at: shell.t, app: pythonHttpServer(shell, port), exec: false },
    };
  }
  if (args[0] === '-m' && args[1] === 'pip')
    return COMMANDS.get('pip')!(shell, ['pip', ...args.slice(2)], io);
  const script = args.find((a) => !a.startsWith('-'));
  if (script !== undefined) {
    if (shell.readFile(script) === undefined) {
      shell.err(
        io,
        `${argv[0]}: can't open file '${shell.resolvePath(script)}': [Errno 2] No such file or directory\n`,
      );
      return 2;
    }
    return 0;
  }
  // The REPL reads its input: nothing (EOF) ends it at once; an open stdin keeps it waiting.
  if (io.stdin !== '') return 0;
  if (shell.run.stdinOpen && shell.run.mode === 'main') return { code: 0, forever: { kind: 'silent' } };
  return 0;
});

function pythonHttpServer(shell: Shell, port: number) {
  return {
    startupMs: 300,
    ports: [{ port, protocol: 'TCP' as const }],
    ignoresSigterm: true,
    logs: () => [],
    http: (request: { port: number; path: string }) => {
      if (request.port !== port) return undefined;
      const entries = shell.listDir(shell.cwd) ?? [];
      const body = `<!DOCTYPE HTML>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Directory listing for ${request.path}</title>\n</head>\n<body>\n<h1>Directory listing for ${request.path}</h1>\n<hr>\n<ul>\n${entries.map((e) => `<li><a href="${e}">${e}</a></li>`).join('\n')}\n</ul>\n<hr>\n</body>\n</html>\n`;
      return {
        status: 200,
        headers: { 'Content-Type': 'text/html; charset=utf-8', Server: 'SimpleHTTP/0.6 Python/3.12.11' },
        body,
      };
    },
  };
}

define('nginx', (shell, argv, io) => {
  const version = shell.run.image.version;
  if (argv.includes('-v') || argv.includes('-V')) {
    shell.err(io, `nginx version: nginx/${version}\n`);
    return 0;
  }
  if (argv.includes('-t')) {
    shell.err(
      io,
      'nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\nnginx: configuration file /etc/nginx/nginx.conf test is successful\n',
    );
    return 0;
  }
  if (argv.includes('-s')) {
    shell.err(
      io,
      `${timeFormats.nginx(shell.run.startAbs + shell.t)} [notice] ${intHash(30, 90, 'nginx-s')}#${intHash(30, 90, 'nginx-s')}: signal process started\n`,
    );
    return 0;
  }
  shell.err(
    io,
    `${timeFormats.nginx(shell.run.startAbs + shell.t)} [emerg] 1#1: bind() to 0.0.0.0:80 failed (98: Address in use)\nnginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address in use)\n`,
  );
  return 1;
});

define('redis-server', (shell, argv, io) => {
  if (argv.includes('--version') || argv.includes('-v')) {
    shell.out(
      io,
      `Redis server v=${shell.run.image.version} sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 build=${sha256Hex(shell.run.image.version).slice(0, 16)}\n`,
    );
  }
  return 0;
});

/** Databases a postgres container has, plus those this session created. */
function databases(shell: Shell): string[] {
  const made = [...shell.installed].filter((k) => k.startsWith('db:')).map((k) => k.slice(3));
  return [...new Set(['postgres', ...made, 'template0', 'template1'])].sort();
}

define('psql', (shell, argv, io) => {
  const args = argv.slice(1);
  const query = args[args.indexOf('-c') + 1];
  if (args.includes('-l') || args.includes('--list')) {
    const rows = databases(shell);
    const row = (name: string) => {
      const template = name.startsWith('template');
      const first = ` ${name.padEnd(9)} | postgres | UTF8     | en_US.utf8 | en_US.utf8 | ${template ? '=c/postgres          +' : ''}`;
      return template
        ? `${first}\n           |          |          |            |            | postgres=CTc/postgres\n`
        : `${first.trimEnd()}\n`;
    };
    shell.out(
      io,
      `                                 List of databases\n   Name    |  Owner   | Encoding |  Collate   |   Ctype    |   Access privileges   \n-----------+----------+----------+------------+------------+-----------------------\n${rows.map(row).join('')}(${rows.length} rows)\n\n`,
    );
    return 0;
  }
  if (args.includes('-c') && query !== undefined) {
    const db =
      args.find(
        (a, i) => !a.startsWith('-') && args[i - 1] !== '-c' && args[i - 1] !== '-U' && args[i - 1] !== '-h',
      ) ?? 'postgres';
    if (!databases(shell).includes(db)) {
      shell.err(
        io,
        `psql: error: connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: FATAL:  database "${db}" does not exist\n`,
      );
      return 2;
    }
    if (/count\(\*\)\s+from\s+pgbench_accounts/i.test(query)) {
      const scale = Number(
        [...shell.installed].find((k) => k.startsWith(`pgbench:${db}:`))?.split(':')[2] ?? 0,
      );
      if (scale === 0) {
        shell.err(io, `ERROR:  relation "pgbench_accounts" does not exist\nLINE 1: ${query}\n`);
        return 1;
      }
      shell.out(io, `  count  \n---------\n ${scale * 100000}\n(1 row)\n\n`);
      return 0;
    }
    if (/^\s*select\s+1\s*;?\s*$/i.test(query)) {
      shell.out(io, ' ?column? \n----------\n        1\n(1 row)\n\n');
      return 0;
    }
    shell.out(io, '');
    return 0;
  }
  return 0;
});

define('createdb', (shell, argv) => {
  const name = argv.slice(1).find((a) => !a.startsWith('-'));
  if (name) shell.installed.add(`db:${name}`);
  return 0;
});

define('pgbench', (shell, argv, io) => {
  const args = argv.slice(1);
  const scale = Number(args[args.indexOf('-s') + 1] ?? 1) || 1;
  const db = args.filter((a, i) => !a.startsWith('-') && args[i - 1] !== '-s').pop() ?? 'postgres';
  if (!args.includes('-i')) return 0;
  for (const t of ['pgbench_accounts', 'pgbench_branches', 'pgbench_history', 'pgbench_tellers'])
    shell.err(io, `NOTICE:  table "${t}" does not exist, skipping\n`);
  shell.out(io, 'creating tables...\n');
  const total = scale * 100000;
  for (let done = 100000; done <= total; done += 100000) {
    shell.advance(150);
    shell.out(
      io,
      `${done} of ${total} tuples (${Math.round((done / total) * 100)}%) done (elapsed ${((done / 100000) * 0.15).toFixed(2)} s, remaining ${(((total - done) / 100000) * 0.15).toFixed(2)} s)\n`,
    );
  }
  shell.out(io, 'vacuum...\nset primary keys...\ndone.\n');
  shell.installed.add(`pgbench:${db}:${scale}`);
  return 0;
});

define('pg_isready', (shell, _argv, io) => {
  shell.out(io, '/var/run/postgresql:5432 - accepting connections\n');
  return 0;
});

define('su', (shell, argv, io) => {
  const c = argv.indexOf('-c');
  const child = shell.fork();
  if (c > 0) {
    const outcome = child.runScript(argv[c + 1] ?? '', io);
    shell.t = child.t;
    return outcome;
  }
  if (io.stdin !== '') {
    const outcome = child.runScript(io.stdin, io);
    shell.t = child.t;
    return outcome;
  }
  return 0;
});

define('consul', (shell, argv, io) => {
  if (argv[1] === 'version' || argv.includes('--version')) {
    shell.out(
      io,
      `Consul v${shell.run.image.version}\nProtocol 2 spoken by default, understands 2 to 3 (agent will automatically use protocol >2 when speaking to compatible agents)\n`,
    );
    return 0;
  }
  if (argv[1] !== 'members') return 0;
  const ctx = shell.run.context;
  const peers = (ctx?.network.containers?.(ctx.namespace) ?? [])
    .filter((c) => infoOf(c.behaviour)?.app === 'consul')
    .map((c) => ({
      name: c.context.podName,
      address: `${c.context.podIP}:8301`,
      build: infoOf(c.behaviour)?.version ?? shell.run.image.version,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  if (peers.length === 0 && ctx)
    peers.push({ name: ctx.podName, address: `${ctx.podIP}:8301`, build: shell.run.image.version });
  const rows = [
    ['Node', 'Address', 'Status', 'Type', 'Build', 'Protocol', 'DC', 'Segment'],
    ...peers.map((p) => [p.name, p.address, 'alive', 'server', p.build, '2', 'dc1', '<all>']),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  shell.out(
    io,
    rows
      .map(
        (r) => `${r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]! + 2))).join('')}\n`,
      )
      .join(''),
  );
  return 0;
});

define('pxctl', (shell, argv, io) => {
  if (argv[1] !== 'status') return 0;
  const ctx = shell.run.context;
  const nodes = (ctx?.network.containers?.(ctx.namespace) ?? []).filter((c) =>
    c.image.includes('portworx/oci-monitor'),
  );
  shell.out(
    io,
    `Status: PX is operational\nLicense: Trial (expires in 31 days)\nNode ID: ${sha256Hex(ctx?.nodeName ?? 'node').slice(0, 8)}-${sha256Hex(ctx?.nodeName ?? 'node').slice(8, 12)}\n\tIP: ${ctx?.podIP ?? ''}\n\tLocal Storage Pool: 1 pool\n\tPOOL\tIO_PRIORITY\tRAID_LEVEL\tUSABLE\tUSED\tSTATUS\tZONE\tREGION\n\t0\tHIGH\t\traid0\t\t10 GiB\t1.0 GiB\tOnline\tdefault\tdefault\nCluster Summary\n\tCluster ID: px-workshop\n\tNodes: ${Math.max(1, nodes.length)} node(s) with storage (${Math.max(1, nodes.length)} online)\n${nodes.map((n) => `\t${n.context.podIP}\t${n.context.nodeName}\tOnline\tUp\n`).join('')}Global Storage Pool\n\tTotal Used    \t:  ${Math.max(1, nodes.length)}.0 GiB\n\tTotal Capacity\t:  ${Math.max(1, nodes.length) * 10} GiB\n`,
  );
  return 0;
});

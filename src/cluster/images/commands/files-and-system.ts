/**
 * Files and the system: `cat`, `env`, `hostname`, `id`, `uname`, `ps`, `touch`, `mkdir`, `rm`,
 * `cp`/`mv` and `ls` over the container's file view, in busybox's or coreutils' wording.
 */

import type { Shell } from '../shell.js';
import { intHash, timeFormats } from '../text.js';
import { define, isBusybox } from './shared.js';

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

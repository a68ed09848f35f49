/**
 * Simple commands: their assignments (kept by the shell, or set for the one command), and what a
 * command name runs: a builtin, a nested shell (`sh -c '…'`, `sh script.sh`), the image's own
 * program, or an entry of the command table (filled by `commands.ts`); and the shell's "not
 * found" message when it is none of them.
 */

import { expandString, expandWord } from './shell-expand.js';
import type { Shell } from './shell-interpreter.js';
import type { CommandImpl, IO, Outcome } from './shell-io.js';
import type { ShellNode } from './shell-parse.js';

const SHELL_NAMES = new Set(['sh', 'ash', 'dash', 'bash']);
const BUILTINS = new Set([
  'echo',
  'printf',
  'cd',
  'pwd',
  'export',
  'unset',
  'set',
  'exit',
  'return',
  'true',
  'false',
  ':',
  'test',
  '[',
  'read',
  'break',
  'continue',
  'eval',
  'exec',
  'source',
  '.',
  'type',
  'command',
  'wait',
  'trap',
  'kill',
  'shift',
  'local',
  'ulimit',
  'umask',
  'times',
  'hash',
  'alias',
  'unalias',
  'let',
]);

/** The command table, filled by `commands.ts`. */
export const COMMANDS = new Map<string, CommandImpl>();

/** Runs a simple command: its assignments, its redirections, then the command itself. */
export function runSimple(shell: Shell, node: Extract<ShellNode, { type: 'simple' }>, io: IO): Outcome {
  const argv = node.words.flatMap((w) => expandWord(w, shell));
  const assigns = node.assigns.map((a) => {
    const eq = a.indexOf('=');
    return [a.slice(0, eq), expandString(a.slice(eq + 1), shell)] as const;
  });
  const redirected = shell.redirect(node.redirects, io);
  if (typeof redirected === 'number') return { code: redirected };
  if (argv.length === 0) {
    for (const [k, v] of assigns) shell.vars.set(k, v);
    return { code: 0 };
  }
  if (assigns.length === 0) return shell.command(argv, redirected);
  const saved = assigns.map(([k]) => [k, shell.vars.get(k)] as const);
  for (const [k, v] of assigns) shell.vars.set(k, v);
  try {
    return shell.command(argv, redirected);
  } finally {
    for (const [k, v] of saved) {
      if (v === undefined) shell.vars.delete(k);
      else shell.vars.set(k, v);
    }
  }
}

/** Runs one command (a builtin, a shell, the image's program or a tool). */
export function runCommand(shell: Shell, argv: readonly string[], io: IO, execForm = false): Outcome {
  const name = argv[0]!;
  const base = name.slice(name.lastIndexOf('/') + 1);
  const builtin = !execForm && BUILTINS.has(base) && !name.includes('/');
  if (!builtin && !shell.hasBinary(name)) {
    if (execForm) {
      shell.err(
        io,
        `OCI runtime exec failed: exec failed: unable to start container process: exec: "${name}": ${name.includes('/') ? 'stat ' + name + ': no such file or directory' : 'executable file not found in $PATH'}: unknown\n`,
      );
      return { code: 126 };
    }
    shell.err(io, notFound(shell, name));
    return { code: 127 };
  }
  if (SHELL_NAMES.has(base) && !builtin) return subshell(shell, base, argv.slice(1), io);
  const app = appFor(shell, argv);
  if (app) return app;
  const impl = COMMANDS.get(base);
  if (impl === undefined) {
    // On the PATH but not simulated: it runs and says nothing.
    return { code: 0 };
  }
  const result = impl(shell, argv, io);
  const outcome = typeof result === 'number' ? { code: result } : result;
  if (!outcome.forever && !outcome.control) shell.status = outcome.code;
  return outcome;
}

/** The image's own program for a command line, as the script's last act. */
function appFor(shell: Shell, argv: readonly string[]): Outcome | undefined {
  const image = shell.run.image;
  const base = (s: string) => s.slice(s.lastIndexOf('/') + 1);
  const name = base(argv[0]!);
  if (!image.binaries.has(name)) return undefined;
  const interpreters = new Set(['python', 'python2', 'python3', 'ruby', 'node']);
  if (interpreters.has(name) && !(argv[1] !== undefined && image.binaries.has(base(argv[1]))))
    return undefined;
  // In `kubectl exec`, the program's binary is a tool (`nginx -v`, `redis-server --version`).
  if (shell.run.mode === 'exec') return undefined;
  // An entrypoint script hands over to its arguments when they are another command.
  if (name.endsWith('.sh') && name !== 'run.sh' && argv.length > 1) {
    const next = argv[1]!;
    if (!next.startsWith('-') && !image.binaries.has(base(next)) && shell.hasBinary(next)) {
      return shell.command(
        argv.slice(1),
        { out: { kind: 'log', stream: 'stdout' }, err: { kind: 'log', stream: 'stderr' }, stdin: '' },
        true,
      );
    }
  }
  const app = shell.run.startApp?.(argv);
  if (app === undefined) return undefined;
  return { code: 0, forever: { kind: 'app', at: shell.t, app, exec: shell.depth === 0 } };
}

/** `sh`, `sh -c '…'`, `sh script.sh`, `bash -c …`. */
function subshell(shell: Shell, name: string, args: readonly string[], io: IO): Outcome {
  const child = shell.fork();
  child.flavour = name === 'bash' ? 'bash' : shell.run.image.shell;
  let i = 0;
  let script: string | undefined;
  let fromFile: string | undefined;
  while (i < args.length) {
    const a = args[i]!;
    if (a === '-c') {
      script = args[i + 1] ?? '';
      child.positional = args.slice(i + 3);
      i = args.length;
      break;
    }
    if (/^-[a-z]+$/.test(a) && a.includes('c')) {
      script = args[i + 1] ?? '';
      child.positional = args.slice(i + 3);
      i = args.length;
      break;
    }
    if (a.startsWith('-') || a.startsWith('+')) {
      i++;
      continue;
    }
    fromFile = a;
    child.positional = args.slice(i + 1);
    break;
  }
  if (script === undefined && fromFile !== undefined) {
    const content = child.readFile(fromFile);
    if (content === undefined) {
      const label =
        child.flavour === 'bash'
          ? `bash: ${fromFile}: No such file or directory`
          : child.flavour === 'dash'
            ? `sh: 0: cannot open ${fromFile}: No such file`
            : `sh: can't open '${fromFile}': No such file or directory`;
      shell.err(io, `${label}\n`);
      return { code: child.flavour === 'bash' ? 127 : 2 };
    }
    script = content;
  }
  if (script === undefined) {
    // An interactive shell reads its commands from stdin.
    child.invocation = 'interactive';
    if (io.stdin !== '') script = io.stdin;
    else if (shell.run.stdinOpen && shell.depth === 0 && shell.run.mode === 'main')
      return { code: 0, forever: { kind: 'silent' } };
    else return { code: 0 };
  } else {
    child.invocation = 'c';
  }
  const outcome = child.runScript(script, io);
  shell.t = child.t;
  if (outcome.forever) return outcome;
  return { code: outcome.code };
}

/** The shell's "not found" message for a missing command. */
export function notFound(shell: Shell, name: string): string {
  if (shell.flavour === 'bash')
    return `${shell.shellLabel()}${name}: ${name.includes('/') ? 'No such file or directory' : 'command not found'}\n`;
  return `${shell.shellLabel()}${name}: not found\n`;
}

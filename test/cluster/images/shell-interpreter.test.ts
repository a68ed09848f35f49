import { describe, expect, it } from 'vitest';
import '../../../src/cluster/images/commands.js';
import { resolveEntry } from '../../../src/cluster/images/resolved.js';
import { runCommand, runSimple } from '../../../src/cluster/images/shell-command.js';
import { execNode } from '../../../src/cluster/images/shell-compound.js';
import { Shell } from '../../../src/cluster/images/shell-interpreter.js';
import type { IO, ShellRun } from '../../../src/cluster/images/shell-io.js';
import { parseScript, type ShellNode } from '../../../src/cluster/images/shell-parse.js';
import { applyRedirects } from '../../../src/cluster/images/shell-redirect.js';
import { T0 } from './fixtures.js';

/** A shell of a catalog image, offline (no container context). */
function newShell(entry = 'alpine:3.22', overrides: Partial<ShellRun> = {}): Shell {
  const image = resolveEntry(entry);
  if (image === undefined) throw new Error(`no image ${entry}`);
  return new Shell({
    image,
    context: undefined,
    env: {},
    startAbs: T0,
    nowOffset: 0,
    tty: false,
    stdinOpen: false,
    mode: 'main',
    ...overrides,
  });
}

/** Streams that write into buffers the test reads back. */
function buffers(stdin = '') {
  const out = { text: '' };
  const err = { text: '' };
  const io: IO = { out: { kind: 'buffer', buffer: out }, err: { kind: 'buffer', buffer: err }, stdin };
  return { out, err, io };
}

const LOG: IO = { out: { kind: 'log', stream: 'stdout' }, err: { kind: 'log', stream: 'stderr' }, stdin: '' };

/** The one simple command of a one-command script. */
function simple(script: string): Extract<ShellNode, { type: 'simple' }> {
  let node = parseScript(script);
  while (node.type === 'list' && node.items.length === 1) node = node.items[0]!.node;
  if (node.type !== 'simple') throw new Error(`not a simple command: ${script}`);
  return node;
}

describe('applyRedirects', () => {
  it('truncates with >, keeps content with >>, and points stderr at stdout with 2>&1', () => {
    const shell = newShell();
    shell.writeFile('/out', 'old\n');
    shell.writeFile('/log', 'kept\n');
    const { io } = buffers();
    expect(
      applyRedirects(
        shell,
        [
          { fd: 1, op: '>', target: '/out' },
          { fd: 2, op: '>&', target: '1' },
        ],
        io,
      ),
    ).toEqual({ out: { kind: 'file', path: '/out' }, err: { kind: 'file', path: '/out' }, stdin: '' });
    expect(shell.readFile('/out')).toBe('');
    expect(applyRedirects(shell, [{ fd: 1, op: '>>', target: '/log' }], io)).toMatchObject({
      out: { kind: 'file', path: '/log' },
    });
    expect(shell.readFile('/log')).toBe('kept\n');
  });

  it('resolves targets from the working directory and maps the /dev files to streams', () => {
    const shell = newShell();
    shell.cwd = '/srv';
    const { io } = buffers();
    expect(
      applyRedirects(
        shell,
        [
          { fd: 1, op: '>', target: 'data.txt' },
          { fd: 2, op: '>', target: '/dev/null' },
        ],
        io,
      ),
    ).toEqual({ out: { kind: 'file', path: '/srv/data.txt' }, err: { kind: 'null' }, stdin: '' });
    expect(applyRedirects(shell, [{ fd: 1, op: '&>', target: '/dev/stderr' }], io)).toEqual({
      out: io.err,
      err: io.err,
      stdin: '',
    });
  });

  it('reads stdin from a file, and fails with status 1 when the file is missing', () => {
    const shell = newShell();
    shell.writeFile('/in', 'line\n');
    const { err, io } = buffers();
    expect(applyRedirects(shell, [{ fd: 0, op: '<', target: '/in' }], io)).toMatchObject({ stdin: 'line\n' });
    expect(applyRedirects(shell, [{ fd: 0, op: '<', target: '/nope' }], io)).toBe(1);
    expect(err.text).toBe("sh: can't open /nope: no such file\n");
  });
});

describe('runSimple', () => {
  it('keeps assignments without a command in the shell', () => {
    const shell = newShell();
    expect(runSimple(shell, simple('A=1 B="two words"'), buffers().io)).toEqual({ code: 0 });
    expect(shell.vars.get('A')).toBe('1');
    expect(shell.vars.get('B')).toBe('two words');
  });

  it('sets prefix assignments for the one command, then restores what was there', () => {
    const shell = newShell();
    shell.vars.set('OLD', 'before');
    const { out, io } = buffers();
    runSimple(shell, simple(`NEW=a OLD=b sh -c 'echo "$NEW $OLD"'`), io);
    expect(out.text).toBe('a b\n');
    expect(shell.vars.has('NEW')).toBe(false);
    expect(shell.vars.get('OLD')).toBe('before');
  });

  it('does not run the command when a redirection fails', () => {
    const shell = newShell();
    const { out, io } = buffers();
    expect(runSimple(shell, simple('echo hi < /missing'), io)).toEqual({ code: 1 });
    expect(out.text).toBe('');
  });
});

describe('runCommand', () => {
  it('reports a missing command in the flavour of the shell, or of the runtime in exec form', () => {
    const ash = buffers();
    expect(runCommand(newShell(), ['nope'], ash.io)).toEqual({ code: 127 });
    expect(ash.err.text).toBe('sh: nope: not found\n');
    const bash = buffers();
    expect(runCommand(newShell('centos:8'), ['nope'], bash.io)).toEqual({ code: 127 });
    expect(bash.err.text).toBe('bash: nope: command not found\n');
    const exec = buffers();
    expect(runCommand(newShell(), ['/bin/nope'], exec.io, true)).toEqual({ code: 126 });
    expect(exec.err.text).toContain('exec: "/bin/nope": stat /bin/nope: no such file or directory');
  });

  it('records the status of a command from the table', () => {
    const shell = newShell();
    expect(runCommand(shell, ['false'], buffers().io)).toEqual({ code: 1 });
    expect(shell.status).toBe(1);
  });

  it('runs `sh -c` with the words after its name as positional parameters', () => {
    const { out, io } = buffers();
    expect(runCommand(newShell(), ['sh', '-c', 'echo "$1"; exit 3', 'name', 'first'], io)).toEqual({
      code: 3,
    });
    expect(out.text).toBe('first\n');
  });

  it('reports a missing script file the way each shell does', () => {
    const ash = buffers();
    expect(runCommand(newShell(), ['sh', 'missing.sh'], ash.io)).toEqual({ code: 2 });
    expect(ash.err.text).toBe("sh: can't open 'missing.sh': No such file or directory\n");
    const dash = buffers();
    expect(runCommand(newShell('debian:12'), ['sh', 'missing.sh'], dash.io)).toEqual({ code: 2 });
    expect(dash.err.text).toBe('sh: 0: cannot open missing.sh: No such file\n');
  });

  it('reads an interactive shell from stdin, and waits for ever on an open stdin', () => {
    const { out, io } = buffers('echo from-stdin\n');
    expect(runCommand(newShell(), ['sh'], io)).toEqual({ code: 0 });
    expect(out.text).toBe('from-stdin\n');
    expect(runCommand(newShell('alpine:3.22', { stdinOpen: true }), ['sh'], buffers().io)).toEqual({
      code: 0,
      forever: { kind: 'silent' },
    });
  });
});

describe('execNode', () => {
  const run = (script: string, shell = newShell()) => {
    const { out, io } = buffers();
    const outcome = execNode(shell, parseScript(script), io);
    return { outcome, out: out.text, shell };
  };

  it('short-circuits && and ||, and negates a pipeline', () => {
    expect(run('false && echo no || echo yes').out).toBe('yes\n');
    expect(run('! true').outcome).toEqual({ code: 1 });
    expect(run('echo piped | cat').out).toBe('piped\n');
  });

  it('keeps the variables and directory of a sub-shell to itself, but not of a group', () => {
    const { out, shell } = run('(cd /etc; X=1); echo "$X"; { Y=2; }; echo "$Y"');
    expect(out).toBe('\n2\n');
    expect(shell.cwd).toBe('/');
  });

  it('runs if branches and for loops', () => {
    expect(run('if false; then echo a; elif true; then echo b; else echo c; fi').out).toBe('b\n');
    expect(run('for w in x y z; do echo $w; [ $w = y ] && break; done').out).toBe('x\ny\n');
  });

  it('runs a background job without waiting for it', () => {
    const { out, shell } = run('sleep 5 & echo done');
    expect(out).toBe('done\n');
    expect(shell.t).toBe(0);
  });

  it('evaluates a loop that ends, iteration by iteration', () => {
    const { outcome, out } = run('i=0; while [ $i -lt 3 ]; do echo $i; i=$((i+1)); done');
    expect(outcome).toEqual({ code: 0 });
    expect(out).toBe('0\n1\n2\n');
  });

  it('hands back an endless loop as a periodic tail', () => {
    const shell = newShell();
    const outcome = execNode(shell, parseScript('while true; do echo tick; sleep 2; done'), LOG);
    expect(outcome.forever).toMatchObject({ kind: 'loop', at: 2000, period: 2000 });
    if (outcome.forever?.kind !== 'loop') throw new Error('not a loop');
    expect(outcome.forever.iteration(3)).toEqual([{ at: 0, text: 'tick', stream: 'stdout' }]);
    expect(shell.collector.raw.stdout).toBe('tick\n');
  });
});

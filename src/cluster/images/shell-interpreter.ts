/**
 * The shell interpreter: a shell process (or a sub-shell) running parsed commands on the virtual
 * clock, with its variables, its view of the container's files, redirections, pipelines, loops
 * and sub-shells, and the table of simulated commands it dispatches to.
 */

import { type ExpansionScope, expandString, expandWord } from './shell-expand.js';
import { builtinDir, builtinFile } from './shell-files.js';
import {
  Collector,
  type CommandImpl,
  type IO,
  type Outcome,
  type ShellRun,
  type Target,
} from './shell-io.js';
import { parseScript, type Redirect, type ShellNode, ShellSyntaxError } from './shell-parse.js';
import type { FileEvent, TimedLine } from './timeline.js';

/** Loop iterations evaluated one by one before a loop is taken as periodic. */
const MAX_EVALUATED_ITERATIONS = 10_000;

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

/** What a process and its sub-shells share: the filesystem and what was installed in it. */
interface SharedState {
  readonly files: Map<string, string>;
  readonly events: FileEvent[];
  /** Installed packages (`bin:curl`) and session facts (`db:demo`). */
  readonly installed: Set<string>;
  /** Set when a command touched the network (a loop condition waiting on the cluster). */
  readonly net: { touched: boolean };
}

/** A shell process (or a sub-shell) on the virtual clock. */
export class Shell implements ExpansionScope {
  t: number;
  status = 0;
  cwd = '/';
  readonly vars: Map<string, string>;
  positional: string[];
  /** The shell that interprets (`sh` flavour for messages). */
  flavour: 'ash' | 'dash' | 'bash' | undefined;
  /** `sh -c` script (messages name the line) or interactive input. */
  invocation: 'c' | 'interactive' | 'exec-form' = 'exec-form';
  collector: Collector;
  readonly state: SharedState;
  private depth = 0;

  constructor(
    readonly run: ShellRun,
    init?: { t?: number; vars?: Map<string, string>; state?: SharedState; collector?: Collector },
  ) {
    this.t = init?.t ?? 0;
    this.vars = init?.vars ?? new Map(Object.entries(run.env));
    this.state = init?.state ?? {
      files: new Map(run.files ?? []),
      events: [],
      installed: new Set(),
      net: { touched: false },
    };
    this.positional = [];
    this.collector = init?.collector ?? new Collector();
    this.flavour = run.image.shell;
  }

  get files(): Map<string, string> {
    return this.state.files;
  }

  get fileEvents(): FileEvent[] {
    return this.state.events;
  }

  get installed(): Set<string> {
    return this.state.installed;
  }

  /** Marks that the running command used the network. */
  touchNetwork(): void {
    this.state.net.touched = true;
  }

  /** A copy for a sub-shell, a loop iteration or a command substitution; `isolate` copies the filesystem too. */
  fork(collector = this.collector, t = this.t, isolate = false): Shell {
    const state: SharedState = isolate
      ? {
          files: new Map(this.files),
          events: [],
          installed: new Set(this.installed),
          net: { touched: false },
        }
      : this.state;
    const child = new Shell(this.run, { t, vars: new Map(this.vars), state, collector });
    child.positional = [...this.positional];
    child.flavour = this.flavour;
    child.cwd = this.cwd;
    child.invocation = this.invocation;
    child.depth = this.depth + 1;
    return child;
  }

  // ---------------------------------------------------------------------------- expansion scope

  variable(name: string): string | undefined {
    if (name === '?') return String(this.status);
    if (name === '$') return '1';
    if (name === '!') return '';
    if (name === '0') return this.flavour === 'bash' ? 'bash' : 'sh';
    if (name === '-') return '';
    if (name === 'RANDOM') return String(Math.floor(this.random('RANDOM') * 32768));
    if (name === 'PWD') return this.cwd;
    return this.vars.get(name);
  }

  substitute(script: string): string {
    const buffer = { text: '' };
    const child = this.fork();
    const outcome = child.runScript(script, {
      out: { kind: 'buffer', buffer },
      err: { kind: 'log', stream: 'stderr' },
      stdin: '',
    });
    this.t = child.t;
    this.status = outcome.code;
    return buffer.text;
  }

  /** A stable number in [0, 1) for this container, time and purpose. */
  random(purpose: string): number {
    const seed = `${this.run.context?.podName ?? ''}/${this.run.startAbs + this.t}/${purpose}/${this.depth}`;
    let h = 2166136261;
    for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619) >>> 0;
    return h / 4294967296;
  }

  // ---------------------------------------------------------------------------- output

  /** Writes to a target at the current time. */
  write(target: Target, text: string): void {
    if (text === '') return;
    switch (target.kind) {
      case 'log':
        this.collector.write(this.t, text, target.stream);
        return;
      case 'buffer':
        target.buffer.text += text;
        return;
      case 'file':
        this.writeFile(target.path, (this.readFile(target.path) ?? '') + text);
        return;
      default:
        return;
    }
  }

  out(io: IO, text: string): void {
    this.write(io.out, text);
  }

  err(io: IO, text: string): void {
    this.write(io.err, text);
  }

  advance(ms: number): void {
    if (ms > 0) this.t += ms;
  }

  // ---------------------------------------------------------------------------- files

  /** An absolute path for `path` from the working directory. */
  resolvePath(path: string): string {
    const joined = path.startsWith('/') ? path : `${this.cwd === '/' ? '' : this.cwd}/${path}`;
    const parts: string[] = [];
    for (const part of joined.split('/')) {
      if (part === '' || part === '.') continue;
      if (part === '..') parts.pop();
      else parts.push(part);
    }
    return `/${parts.join('/')}`;
  }

  readFile(path: string): string | undefined {
    const abs = this.resolvePath(path);
    if (this.files.has(abs)) return this.files.get(abs);
    if (this.removed(abs)) return undefined;
    return this.run.context?.readFile?.(abs) ?? builtinFile(abs, this);
  }

  writeFile(path: string, content: string | undefined): void {
    const abs = this.resolvePath(path);
    if (abs === '/dev/null') return;
    if (content === undefined) {
      this.files.delete(abs);
      this.files.set(`\0removed:${abs}`, '');
    } else {
      this.files.delete(`\0removed:${abs}`);
      this.files.set(abs, content);
    }
    this.fileEvents.push({ at: this.t, path: abs, ...(content === undefined ? {} : { content }) });
  }

  private removed(abs: string): boolean {
    return this.files.has(`\0removed:${abs}`);
  }

  /** The entries of a directory: written files, mounted volumes and the image's own. */
  listDir(path: string): string[] | undefined {
    const abs = this.resolvePath(path);
    const prefix = abs === '/' ? '/' : `${abs}/`;
    const names = new Set<string>();
    for (const key of this.files.keys()) {
      if (key.startsWith(prefix)) names.add(key.slice(prefix.length).split('/')[0]!);
    }
    const mounted = this.run.context?.listDir?.(abs);
    for (const entry of mounted ?? []) names.add(entry.name);
    const builtin = builtinDir(abs);
    for (const name of builtin ?? []) names.add(name);
    if (names.size === 0 && mounted === undefined && builtin === undefined && !this.isDir(abs))
      return undefined;
    return [...names].filter((n) => n !== '').sort();
  }

  isDir(path: string): boolean {
    const abs = this.resolvePath(path);
    if (builtinDir(abs) !== undefined || this.run.context?.listDir?.(abs) !== undefined) return true;
    if (this.files.has(`${abs}/`)) return true;
    const prefix = `${abs}/`;
    for (const key of this.files.keys()) if (key.startsWith(prefix)) return true;
    return false;
  }

  // ---------------------------------------------------------------------------- commands

  /** Whether a program of that name is on the image's PATH (or was installed by this run). */
  hasBinary(name: string): boolean {
    const base = name.slice(name.lastIndexOf('/') + 1);
    if (name.includes('/') && name.startsWith('./') && this.readFile(name) !== undefined) return true;
    const image = this.run.image;
    return image.tools.has(base) || image.binaries.has(base) || this.installed.has(`bin:${base}`);
  }

  /** Parses and runs a script. */
  runScript(script: string, io: IO): Outcome {
    let node: ShellNode;
    try {
      node = parseScript(script);
    } catch (error) {
      if (!(error instanceof ShellSyntaxError)) throw error;
      this.err(io, `${this.shellLabel()}${error.message}\n`);
      return { code: 2 };
    }
    return this.exec(node, io);
  }

  /** The prefix of the shell's own error messages (`sh: `, `sh: 1: `, `bash: `, `bash: line 1: `). */
  shellLabel(): string {
    if (this.flavour === 'dash') return this.invocation === 'c' ? 'sh: 1: ' : 'sh: ';
    if (this.flavour === 'bash') return this.invocation === 'c' ? 'bash: line 1: ' : 'bash: ';
    return 'sh: ';
  }

  /** Variables and files, to tell whether a loop iteration changed anything. */
  snapshot(): string {
    return snapshotOf(this);
  }

  /** Runs a parsed command. */
  exec(node: ShellNode, io: IO): Outcome {
    switch (node.type) {
      case 'list':
        return this.list(node.items, io);
      case 'and':
      case 'or': {
        const left = this.exec(node.left, io);
        if (left.forever || left.exited || left.control) return left;
        if ((left.code === 0) === (node.type === 'and')) return this.exec(node.right, io);
        return left;
      }
      case 'pipe':
        return this.pipe(node.commands, node.negate, io);
      case 'simple':
        return this.simple(node, io);
      case 'group': {
        const redirected = this.redirect(node.redirects, io);
        if (typeof redirected === 'number') return { code: redirected };
        if (!node.subshell) return this.exec(node.body, redirected);
        const child = this.fork();
        const outcome = child.exec(node.body, redirected);
        this.t = child.t;
        return { code: outcome.code, ...(outcome.forever ? { forever: outcome.forever } : {}) };
      }
      case 'if': {
        const redirected = this.redirect(node.redirects, io);
        if (typeof redirected === 'number') return { code: redirected };
        for (const branch of node.branches) {
          const condition = this.exec(branch.condition, redirected);
          if (condition.forever || condition.exited) return condition;
          if (condition.code === 0) return this.exec(branch.body, redirected);
        }
        return node.otherwise ? this.exec(node.otherwise, redirected) : { code: 0 };
      }
      case 'for': {
        const redirected = this.redirect(node.redirects, io);
        if (typeof redirected === 'number') return { code: redirected };
        const items = node.items.flatMap((w) => expandWord(w, this));
        let last: Outcome = { code: 0 };
        for (const item of items) {
          this.vars.set(node.name, item);
          last = this.exec(node.body, redirected);
          if (last.forever || last.exited) return last;
          if (last.control === 'break') return { code: 0 };
        }
        return { code: last.code };
      }
      case 'loop':
        return this.loop(node, io);
    }
  }

  private list(items: readonly { node: ShellNode; background: boolean }[], io: IO): Outcome {
    let last: Outcome = { code: 0 };
    for (const item of items) {
      if (item.background) {
        // A background job: it runs alongside; what it prints before the script goes on is kept.
        const child = this.fork();
        const outcome = child.exec(item.node, io);
        if (outcome.forever?.kind === 'app') last = { code: 0, forever: outcome.forever };
        this.status = 0;
        continue;
      }
      last = this.exec(item.node, io);
      this.status = last.code;
      if (last.forever || last.exited || last.control) return last;
    }
    return last;
  }

  private pipe(commands: readonly ShellNode[], negate: boolean, io: IO): Outcome {
    let stdin = io.stdin;
    let outcome: Outcome = { code: 0 };
    commands.forEach((command, index) => {
      const last = index === commands.length - 1;
      const buffer = { text: '' };
      const target: Target = last ? io.out : { kind: 'buffer', buffer };
      const child = this.fork();
      outcome = child.exec(command, { out: target, err: io.err, stdin });
      this.t = Math.max(this.t, child.t);
      if (!last && outcome.forever) outcome = { code: 0, forever: { kind: 'silent' } };
      stdin = buffer.text;
    });
    if (outcome.forever) return outcome;
    const code = negate ? (outcome.code === 0 ? 1 : 0) : outcome.code;
    return { code };
  }

  /** Applies redirections; a number is the failure status (a missing input file). */
  redirect(redirects: readonly Redirect[], io: IO): IO | number {
    let { out, err, stdin } = io;
    for (const r of redirects) {
      if (r.op === '>&') {
        const to = r.target === '1' ? out : r.target === '2' ? err : undefined;
        if (to === undefined) continue;
        if (r.fd === 2) err = to;
        else out = to;
        continue;
      }
      const path = expandString(r.target, this);
      if (r.op === '<') {
        const content = this.readFile(path);
        if (content === undefined) {
          this.err(io, `${this.shellLabel()}can't open ${path}: no such file\n`);
          return 1;
        }
        stdin = content;
        continue;
      }
      const abs = this.resolvePath(path);
      let target: Target;
      if (abs === '/dev/null') target = { kind: 'null' };
      else if (abs === '/dev/stdout' || abs === '/proc/self/fd/1') target = io.out;
      else if (abs === '/dev/stderr' || abs === '/proc/self/fd/2') target = io.err;
      else {
        if (r.op !== '>>') this.writeFile(abs, '');
        else if (this.readFile(abs) === undefined) this.writeFile(abs, '');
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

  private simple(node: Extract<ShellNode, { type: 'simple' }>, io: IO): Outcome {
    const argv = node.words.flatMap((w) => expandWord(w, this));
    const assigns = node.assigns.map((a) => {
      const eq = a.indexOf('=');
      return [a.slice(0, eq), expandString(a.slice(eq + 1), this)] as const;
    });
    const redirected = this.redirect(node.redirects, io);
    if (typeof redirected === 'number') return { code: redirected };
    if (argv.length === 0) {
      for (const [k, v] of assigns) this.vars.set(k, v);
      return { code: 0 };
    }
    if (assigns.length === 0) return this.command(argv, redirected);
    const saved = assigns.map(([k]) => [k, this.vars.get(k)] as const);
    for (const [k, v] of assigns) this.vars.set(k, v);
    try {
      return this.command(argv, redirected);
    } finally {
      for (const [k, v] of saved) {
        if (v === undefined) this.vars.delete(k);
        else this.vars.set(k, v);
      }
    }
  }

  /** Runs one command (a builtin, a shell, the image's program or a tool). */
  command(argv: readonly string[], io: IO, execForm = false): Outcome {
    const name = argv[0]!;
    const base = name.slice(name.lastIndexOf('/') + 1);
    const builtin = !execForm && BUILTINS.has(base) && !name.includes('/');
    if (!builtin && !this.hasBinary(name)) {
      if (execForm) {
        this.err(
          io,
          `OCI runtime exec failed: exec failed: unable to start container process: exec: "${name}": ${name.includes('/') ? 'stat ' + name + ': no such file or directory' : 'executable file not found in $PATH'}: unknown\n`,
        );
        return { code: 126 };
      }
      this.err(io, notFound(this, name));
      return { code: 127 };
    }
    if (SHELL_NAMES.has(base) && !builtin) return this.subshell(base, argv.slice(1), io);
    const app = this.appFor(argv);
    if (app) return app;
    const impl = COMMANDS.get(base);
    if (impl === undefined) {
      // On the PATH but not simulated: it runs and says nothing.
      return { code: 0 };
    }
    const result = impl(this, argv, io);
    const outcome = typeof result === 'number' ? { code: result } : result;
    if (!outcome.forever && !outcome.control) this.status = outcome.code;
    return outcome;
  }

  /** The image's own program for a command line, as the script's last act. */
  private appFor(argv: readonly string[]): Outcome | undefined {
    const image = this.run.image;
    const base = (s: string) => s.slice(s.lastIndexOf('/') + 1);
    const name = base(argv[0]!);
    if (!image.binaries.has(name)) return undefined;
    const interpreters = new Set(['python', 'python2', 'python3', 'ruby', 'node']);
    if (interpreters.has(name) && !(argv[1] !== undefined && image.binaries.has(base(argv[1]))))
      return undefined;
    // In `kubectl exec`, the program's binary is a tool (`nginx -v`, `redis-server --version`).
    if (this.run.mode === 'exec') return undefined;
    // An entrypoint script hands over to its arguments when they are another command.
    if (name.endsWith('.sh') && name !== 'run.sh' && argv.length > 1) {
      const next = argv[1]!;
      if (!next.startsWith('-') && !image.binaries.has(base(next)) && this.hasBinary(next)) {
        return this.command(
          argv.slice(1),
          { out: { kind: 'log', stream: 'stdout' }, err: { kind: 'log', stream: 'stderr' }, stdin: '' },
          true,
        );
      }
    }
    const app = this.run.startApp?.(argv);
    if (app === undefined) return undefined;
    return { code: 0, forever: { kind: 'app', at: this.t, app, exec: this.depth === 0 } };
  }

  /** `sh`, `sh -c '…'`, `sh script.sh`, `bash -c …`. */
  private subshell(name: string, args: readonly string[], io: IO): Outcome {
    const child = this.fork();
    child.flavour = name === 'bash' ? 'bash' : this.run.image.shell;
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
        this.err(io, `${label}\n`);
        return { code: child.flavour === 'bash' ? 127 : 2 };
      }
      script = content;
    }
    if (script === undefined) {
      // An interactive shell reads its commands from stdin.
      child.invocation = 'interactive';
      if (io.stdin !== '') script = io.stdin;
      else if (this.run.stdinOpen && this.depth === 0 && this.run.mode === 'main')
        return { code: 0, forever: { kind: 'silent' } };
      else return { code: 0 };
    } else {
      child.invocation = 'c';
    }
    const outcome = child.runScript(script, io);
    this.t = child.t;
    if (outcome.forever) return outcome;
    return { code: outcome.code };
  }

  /** `while`/`until`: evaluated iteration by iteration, then read lazily once it repeats. */
  private loop(node: Extract<ShellNode, { type: 'loop' }>, io: IO): Outcome {
    const redirected = this.redirect(node.redirects, io);
    if (typeof redirected === 'number') return { code: redirected };
    let last: Outcome = { code: 0 };
    for (let n = 0; ; n++) {
      const iterationStart = this.t;
      const before = this.snapshot();
      this.state.net.touched = false;
      const condition = this.exec(node.condition, redirected);
      if (condition.forever || condition.exited) return condition;
      let goOn = (condition.code === 0) !== node.until;
      const waitsOnCluster = this.state.net.touched;
      // A wait on the cluster that started before "now" went on: the container was seen running.
      if (!goOn && waitsOnCluster && iterationStart < this.run.nowOffset) goOn = true;
      if (!goOn) return { code: last.code };
      last = this.exec(node.body, redirected);
      if (last.forever || last.exited) return last;
      if (last.control === 'break') return { code: 0 };
      const period = this.t - iterationStart;
      const unchanged = this.snapshot() === before;
      const steady =
        constantCondition(node) ||
        (n > 0 && unchanged && iterationStart >= this.run.nowOffset) ||
        n >= MAX_EVALUATED_ITERATIONS;
      if (steady) {
        const start = this.t;
        const usedPeriod = Math.max(1, period);
        const template = this.fork(new Collector(), 0, true);
        const iteration = (k: number): readonly TimedLine[] => {
          const collector = new Collector();
          const child = template.fork(collector, start + k * usedPeriod, true);
          child.exec(node.condition, redirected);
          child.exec(node.body, redirected);
          collector.flush(child.t);
          return collector.lines.map((l) => ({ ...l, at: l.at - (start + k * usedPeriod) }));
        };
        return {
          code: 0,
          forever: { kind: 'loop', at: start, period: usedPeriod, iteration, waitsOnCluster },
        };
      }
    }
  }
}

/** The state a loop iteration may change (variables and files), to tell when a loop repeats itself. */
function snapshotOf(shell: Shell): string {
  return `${[...shell.vars].join('\n')}\0${shell.fileEvents.length}`;
}

function constantCondition(node: Extract<ShellNode, { type: 'loop' }>): boolean {
  const c = node.condition;
  if (c.type !== 'simple' || c.redirects.length > 0) return false;
  const words = c.words.map((w) => w.replace(/^['"]|['"]$/g, ''));
  const truthy =
    (words[0] === 'true' ||
      words[0] === ':' ||
      (words[0] === '[' && words.length === 3) ||
      (words[0] === 'test' && words.length === 2)) &&
    words.length <= 3;
  const falsy = words[0] === 'false';
  return node.until ? falsy : truthy;
}

/** The shell's "not found" message for a missing command. */
export function notFound(shell: Shell, name: string): string {
  if (shell.flavour === 'bash')
    return `${shell.shellLabel()}${name}: ${name.includes('/') ? 'No such file or directory' : 'command not found'}\n`;
  return `${shell.shellLabel()}${name}: not found\n`;
}

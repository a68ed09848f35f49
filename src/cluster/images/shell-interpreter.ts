/**
 * The shell interpreter: a shell process (or a sub-shell) running parsed commands on the virtual
 * clock, with its variables, its view of the container's files and where its output goes. What
 * it runs is in the modules next to it: compound commands in `shell-compound.ts`, simple commands
 * and the table of simulated commands they dispatch to in `shell-command.ts`, redirections in
 * `shell-redirect.ts`.
 */

import { runCommand } from './shell-command.js';
import { execNode } from './shell-compound.js';
import type { ExpansionScope } from './shell-expand.js';
import { builtinDir, builtinFile } from './shell-files.js';
import { Collector, type IO, type Outcome, type ShellRun, type Target } from './shell-io.js';
import { parseScript, type Redirect, type ShellNode, ShellSyntaxError } from './shell-parse.js';
import { applyRedirects } from './shell-redirect.js';
import type { FileEvent } from './timeline.js';

export { COMMANDS, notFound } from './shell-command.js';

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
  /** Sub-shell nesting: 0 is the process itself, whose program may replace it (`exec`). */
  depth = 0;

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

  /** Runs a parsed command (see `shell-compound.ts`). */
  exec(node: ShellNode, io: IO): Outcome {
    return execNode(this, node, io);
  }

  /** Applies redirections; a number is the failure status (a missing input file). */
  redirect(redirects: readonly Redirect[], io: IO): IO | number {
    return applyRedirects(this, redirects, io);
  }

  /** Runs one command (a builtin, a shell, the image's program or a tool; see `shell-command.ts`). */
  command(argv: readonly string[], io: IO, execForm = false): Outcome {
    return runCommand(this, argv, io, execForm);
  }
}

/** The state a loop iteration may change (variables and files), to tell when a loop repeats itself. */
function snapshotOf(shell: Shell): string {
  return `${[...shell.vars].join('\n')}\0${shell.fileEvents.length}`;
}

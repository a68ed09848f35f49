/**
 * What the shell's commands work with: where their streams go (`Target`, `IO`), what running one
 * gives (`Outcome`, `Forever`), what a run is about (`ShellRun`), and the `Collector` that turns
 * what they print to the log into timed lines.
 */

import type { ResolvedImage } from './resolved.js';
import type { Shell } from './shell-interpreter.js';
import type { AppProcess, TimedLine } from './timeline.js';
import type { ContainerContext, ProcessBehaviour } from './types.js';

/** Where a stream goes. */
export type Target =
  | { readonly kind: 'log'; readonly stream: 'stdout' | 'stderr' }
  | { readonly kind: 'buffer'; readonly buffer: { text: string } }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'null' };

/** A command's streams. */
export interface IO {
  readonly out: Target;
  readonly err: Target;
  readonly stdin: string;
}

/** How a command that does not end goes on. */
export type Forever =
  | { readonly kind: 'silent' }
  | {
      readonly kind: 'loop';
      /** Offset (from the process start) of the first iteration. */
      readonly at: number;
      readonly period: number;
      iteration(n: number): readonly TimedLine[];
      /** The loop waits on the cluster (a name, a connection): its end may come later. */
      readonly waitsOnCluster?: boolean;
    }
  | { readonly kind: 'app'; readonly at: number; readonly app: AppProcess; readonly exec: boolean };

/** What running a command gives. */
export interface Outcome {
  readonly code: number;
  readonly forever?: Forever;
  /** `exit` was called. */
  readonly exited?: boolean;
  readonly control?: 'break' | 'continue';
}

/** A command implementation. */
export type CommandImpl = (shell: Shell, argv: readonly string[], io: IO) => Outcome | number;

/** What a run is about. */
export interface ShellRun {
  readonly image: ResolvedImage;
  /** The container (network, mounted files); undefined when not known (offline). */
  readonly context: ContainerContext | undefined;
  /** The process environment, in order. */
  readonly env: Readonly<Record<string, string>>;
  /** The absolute time of offset 0 (ms since the epoch). */
  readonly startAbs: number;
  /** Offset of "now" from the start: loops waiting on the cluster are judged from here on. */
  readonly nowOffset: number;
  readonly tty: boolean;
  /** The main process's stdin stays open (`stdin: true`): a shell reading it waits for ever. */
  readonly stdinOpen: boolean;
  /** Files the container already has (written by its main process). */
  readonly files?: ReadonlyMap<string, string>;
  /** Starts the image's own program for a command line, when it is one. */
  startApp?(argv: readonly string[]): AppProcess | undefined;
  /** The main process's command line (for `ps`). */
  readonly mainArgv?: readonly string[];
  /** The container's own program when it listens on `port` (what `localhost` reaches first). */
  local?(port: number): ProcessBehaviour | undefined;
  /** The container's main process runs (exec) or this is it (main). */
  readonly mode: 'main' | 'exec';
}

/** Lines in the log, split at newlines, with the time each was completed. */
export class Collector {
  readonly lines: TimedLine[] = [];
  readonly raw = { stdout: '', stderr: '' };
  private readonly partial: Record<'stdout' | 'stderr', string> = { stdout: '', stderr: '' };

  write(at: number, text: string, stream: 'stdout' | 'stderr'): void {
    this.raw[stream] += text;
    const parts = (this.partial[stream] + text).split('\n');
    this.partial[stream] = parts.pop() ?? '';
    for (const part of parts) this.lines.push({ at, text: part, stream });
  }

  flush(at: number): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream] !== '') this.lines.push({ at, text: this.partial[stream], stream });
      this.partial[stream] = '';
    }
  }
}

/**
 * The container shell: runs a parsed command (a pod's `command`/`args`, `sh -c "…"`, a
 * `kubectl exec` command line) on a virtual clock and records what it prints, when, what it
 * writes to the container's filesystem, and how it ends. Commands that never end (`ping`,
 * `sleep infinity`, `while true; do …; sleep 5; done`, a server started by the script) end the
 * run with a lazily-read tail, so logs of a long-running loop stay cheap.
 *
 * This module holds the entry points (`runMain` for a container's main process, `runExec` for
 * `kubectl exec`) and the shell's public surface. The interpreter itself is `shell-interpreter.ts`;
 * the streams and outcomes it works with are in `shell-io.ts`, the files every container has in
 * `shell-files.ts`. The commands themselves (echo, curl, nslookup, apk, …) live in `commands.ts`.
 */

import { Shell } from './shell-interpreter.js';
import type { IO, Outcome, ShellRun } from './shell-io.js';
import { simpleCommand } from './shell-parse.js';
import type { TimedLine, Timeline } from './timeline.js';

export { COMMANDS, notFound, Shell } from './shell-interpreter.js';
export type { CommandImpl, Forever, IO, Outcome, ShellRun, Target } from './shell-io.js';

/** How long `kubectl exec` of a command that never ends is followed before it is interrupted. */
export const EXEC_FOLLOW_MS = 10_000;

/** Runs a container's main process: its command line as the runtime starts it. */
export function runMain(argv: readonly string[], run: ShellRun): Timeline {
  const shell = new Shell(run);
  const io: IO = {
    out: { kind: 'log', stream: 'stdout' },
    err: { kind: 'log', stream: 'stderr' },
    stdin: '',
  };
  const outcome = shell.exec(simpleCommand(argv), io);
  return toTimeline(shell, outcome);
}

/** The timeline of a finished run. */
function toTimeline(shell: Shell, outcome: Outcome): Timeline {
  const forever = outcome.forever;
  if (forever === undefined) {
    shell.collector.flush(shell.t);
    return {
      head: sortLines(shell.collector.lines),
      files: shell.fileEvents,
      end: { kind: 'exit', at: shell.t, code: outcome.code },
    };
  }
  const at = forever.kind === 'silent' ? shell.t : forever.at;
  shell.collector.flush(at);
  const head = sortLines(shell.collector.lines);
  const files = [...shell.fileEvents].sort((a, b) => a.at - b.at);
  if (forever.kind === 'silent') return { head, files, end: { kind: 'forever', at } };
  if (forever.kind === 'app') return { head, files, end: { kind: 'app', at, app: forever.app } };
  return {
    head,
    files,
    end: { kind: 'loop', at, period: forever.period, iteration: forever.iteration },
    ...(forever.waitsOnCluster ? { recheckMs: Math.max(1000, forever.period) } : {}),
  };
}

function sortLines(lines: readonly TimedLine[]): TimedLine[] {
  return [...lines]
    .map((l, i) => ({ l, i }))
    .sort((a, b) => a.l.at - b.l.at || a.i - b.i)
    .map((x) => x.l);
}

/** What `kubectl exec` of a command line gives: output, status and duration. */
export function runExec(
  argv: readonly string[],
  run: ShellRun,
  stdin?: string,
): { stdout: string; stderr: string; exitCode: number; durationMs: number } {
  const shell = new Shell(run);
  const io: IO = {
    out: { kind: 'log', stream: 'stdout' },
    err: { kind: 'log', stream: 'stderr' },
    stdin: stdin ?? '',
  };
  let outcome: Outcome;
  if (argv.length === 0) {
    return {
      stdout: '',
      stderr: 'error: you must specify at least one command for the container\n',
      exitCode: 1,
      durationMs: 0,
    };
  }
  if (!shell.hasBinary(argv[0]!)) {
    outcome = shell.command(argv, io, true);
  } else {
    outcome = shell.exec(simpleCommand(argv), io);
  }
  let exitCode = outcome.code;
  if (outcome.forever) {
    // The command does not end by itself: follow it for a while, then interrupt it (^C).
    const f = outcome.forever;
    if (f.kind === 'loop') {
      for (let n = 0; f.at + n * f.period < shell.t + EXEC_FOLLOW_MS; n++) {
        for (const line of f.iteration(n))
          shell.collector.write(f.at + n * f.period + line.at, `${line.text}\n`, line.stream);
      }
    }
    shell.t += EXEC_FOLLOW_MS;
    exitCode = 130;
  }
  return {
    stdout: shell.collector.raw.stdout,
    stderr: shell.collector.raw.stderr,
    exitCode,
    durationMs: shell.t,
  };
}

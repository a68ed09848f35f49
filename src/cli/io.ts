/**
 * The process boundary: where the CLI writes and reads. Tests pass buffers; `bin/bosun.js`
 * passes the real process streams.
 */

/** Something text can be written to. */
export interface TextSink {
  write(text: string): unknown;
}

/** What a CLI invocation may touch outside its arguments. */
export interface CliIO {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Reads all of standard input (for `-f -`). */
  readStdin(): Promise<string>;
  /** Whether stdout is a terminal (colour, tables). */
  readonly isTTY: boolean;
  /**
   * Calls `listener` on an interrupt (Ctrl-C) instead of ending the process, until the returned
   * function is called. Absent: interrupts are not observed.
   */
  onInterrupt?(listener: () => void): () => void;
}

/** The real process as a `CliIO`. */
export function processIO(): CliIO {
  // `bosun template … | head` closes the pipe early: stop quietly, as other CLIs do.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    isTTY: Boolean(process.stdout.isTTY),
    onInterrupt: (listener) => {
      process.on('SIGINT', listener);
      return () => {
        process.off('SIGINT', listener);
      };
    },
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}

/** An in-memory `CliIO` for tests: collects stdout and stderr; `interrupt()` plays Ctrl-C. */
export function memoryIO(
  options: { env?: Record<string, string>; cwd?: string; stdin?: string } = {},
): CliIO & {
  out: () => string;
  err: () => string;
  interrupt: () => void;
} {
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  return {
    onInterrupt: (listener) => {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    interrupt: () => {
      for (const listener of [...listeners]) listener();
    },
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    isTTY: false,
    readStdin: async () => options.stdin ?? '',
    out: () => out,
    err: () => err,
  };
}

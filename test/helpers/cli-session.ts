/**
 * The CLI run in-process against one `$BOSUN_HOME`, as the end-to-end tests drive it.
 */

import { expect } from 'vitest';
import { memoryIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { tempDir } from './chart-builder.js';

// biome-ignore lint/suspicious/noExplicitAny: the tests read JSON output freely
type J = any;

/** `bosun ARGS` in `home` (and `cwd`), and `kubectl get ARGS -o json` parsed. */
export function cliSession(home = tempDir('bosun-home-'), cwd = tempDir('bosun-cwd-')) {
  const bosun = async (...args: string[]) => {
    const io = memoryIO({ env: { BOSUN_HOME: home }, cwd });
    const code = await run(args, io);
    return { code, out: io.out(), err: io.err() };
  };
  const json = async (...args: string[]): Promise<J> => {
    const r = await bosun('kubectl', 'get', ...args, '-o', 'json');
    expect(r.err).toBe('');
    return JSON.parse(r.out);
  };
  return { home, cwd, bosun, json };
}

import { createFunctionTable, type FunctionOptions } from '../../../src/template/functions/index.js';
import type { CallInfo, FunctionTable } from '../../../src/template/types.js';

/** A call site for tests. */
export function callInfo(name: string, hash: Record<string, unknown> = {}): CallInfo {
  return {
    hash,
    name,
    template: 'test/templates/t.yaml',
    loc: { line: 1, column: 0 },
    env: {
      include: () => '',
      tpl: () => '',
      hasDefine: () => false,
    },
    root: {},
  };
}

/** A function table with a fixed clock (2024-02-29T13:04:05.123Z) and seed 0. */
export function table(options: FunctionOptions = {}): FunctionTable {
  return createFunctionTable({ now: () => new Date('2024-02-29T13:04:05.123Z'), seed: 0, ...options });
}

const shared = table();

/** Calls a template function by name with positional args (and hash args). */
export function run(name: string, args: unknown[], hash: Record<string, unknown> = {}, t = shared): unknown {
  const f = t[name];
  if (!f) throw new Error(`no function ${name}`);
  return f(args, callInfo(name, hash));
}

/**
 * The interpreter: runs compiled templates (`bytecode.ts`) and writes their text.
 *
 * One `Renderer` serves one top-level render (a template, a define, or a tpl string) and all
 * the includes, partials and tpl calls nested in it, so the output cap and the nesting limit
 * hold for the whole render. Context handling follows Handlebars: `../` steps to the previous
 * distinct context, `@root` and the `@index`/`@key`/`@first`/`@last` data frame pass into
 * partials, block parameters are resolved by position at parse time.
 */

import { BosunError, RenderError } from '../../internal/errors.js';
import { type CallInfo, type RenderEnvironment, TemplateFunctionError } from '../types.js';
import { type Code, type CompiledTemplate, Helper, Op } from './bytecode.js';
import { printValue } from './go-format.js';
import type { FunctionEntry } from './names.js';
import { Nesting } from './nesting.js';
import {
  type DataFrame,
  dataField,
  type Frame,
  indentLines,
  isStackOverflow,
  isTruthy,
  lookupKeys,
  rootFrame,
  sortedOwnKeys,
} from './runtime.js';

const EMPTY_HASH: Readonly<Record<string, unknown>> = Object.freeze({});
const NO_VALUES: readonly unknown[] = Object.freeze([]);

/**
 * The `CallInfo` of a function call. Calls at the same depth of function calls (a function
 * that renders through `env` makes deeper ones) reuse one record: a call's information is
 * valid while the call runs, and most templates make many calls.
 */
class CallRecord implements CallInfo {
  hash: Readonly<Record<string, unknown>> = EMPTY_HASH;
  name = '';
  template = '';
  readonly loc = { line: 0, column: 0 };
  root: unknown = undefined;

  constructor(readonly env: RenderEnvironment) {}
}

/** Renders one top-level template (with everything it includes). */
export class Renderer extends Nesting {
  /** Renders a compiled template with `context` as `this` and `@root`. */
  render(t: CompiledTemplate, context: unknown): string {
    this.run(t.code, t.start, t.end, rootFrame(context));
    return this.output.text;
  }

  /** Runs the instructions in `[start, end)`. */
  protected run(code: Code, start: number, end: number, f: Frame): void {
    const ops = code.ops;
    const stack = this.stack;
    let pc = start;
    while (pc < end) {
      switch (ops[pc]) {
        case Op.TEXT:
          this.output.append(code.consts[ops[pc + 1]] as string);
          pc += 2;
          break;
        case Op.PRINT: {
          const v = stack.pop();
          if (typeof v === 'string') {
            if (v !== '') this.output.append(v);
          } else if (v !== undefined && v !== null) {
            this.output.append(printValue(v));
          }
          pc += 1;
          break;
        }
        case Op.LIT:
          stack.push(code.consts[ops[pc + 1]]);
          pc += 2;
          break;
        case Op.UNDEF:
          stack.push(undefined);
          pc += 1;
          break;
        case Op.PATH: {
          let frame: Frame | null = f;
          for (let d = ops[pc + 1]; d > 0 && frame !== null; d--) frame = frame.up;
          const n = ops[pc + 2];
          stack.push(frame === null ? undefined : lookupKeys(frame.ctx, code, pc + 3, n));
          pc += 3 + n;
          break;
        }
        case Op.DATA: {
          let data: DataFrame | null = f.data;
          for (let d = ops[pc + 1]; d > 0 && data !== null; d--) data = data.parent;
          const n = ops[pc + 2];
          const head =
            data === null || n === 0 ? undefined : dataField(data, code.consts[ops[pc + 3]] as string);
          stack.push(n === 0 ? undefined : lookupKeys(head, code, pc + 4, n - 1));
          pc += 3 + n;
          break;
        }
        case Op.PARAM: {
          let params = f.params;
          for (let u = ops[pc + 1]; u > 0 && params !== null; u--) params = params.parent;
          const n = ops[pc + 3];
          stack.push(params === null ? undefined : lookupKeys(params.values[ops[pc + 2]], code, pc + 4, n));
          pc += 4 + n;
          break;
        }
        case Op.CALL:
          stack.push(this.call(code, pc, f));
          pc += 6;
          break;
        case Op.BLOCK:
          pc = this.block(code, pc, f);
          break;
        case Op.PARTIAL:
          this.partial(code, pc, f);
          pc += 6;
          break;
        default:
          throw new Error(`bad instruction ${ops[pc]} at ${pc}`);
      }
    }
  }

  /** Pops `n` values into a new array. */
  private popValues(n: number): unknown[] {
    const stack = this.stack;
    const values = new Array<unknown>(n);
    // Popping rather than setting `length`: shrinking an array through `length` is a slow path.
    for (let k = n - 1; k >= 0; k--) values[k] = stack.pop();
    return values;
  }

  /** Pops the values of a hash whose keys are the constant `keysAt`. */
  private popHash(code: Code, keysAt: number): Record<string, unknown> {
    const keys = code.consts[keysAt] as readonly string[];
    const values = this.popValues(keys.length);
    const hash: Record<string, unknown> = {};
    for (let k = 0; k < keys.length; k++) hash[keys[k]] = values[k];
    return hash;
  }

  /** Renders a block body in a new context/data/parameters, reusing `f` when nothing changes. */
  private enter(
    code: Code,
    start: number,
    end: number,
    hasParams: boolean,
    f: Frame,
    ctx: unknown,
    data: DataFrame,
    values: readonly unknown[],
  ): void {
    if (start === end) return;
    if (ctx === f.ctx && data === f.data && !hasParams) {
      this.run(code, start, end, f);
      return;
    }
    const params = hasParams ? { values, parent: f.params } : f.params;
    this.run(code, start, end, { ctx, up: ctx === f.ctx ? f.up : f, data, params });
  }

  /** `BLOCK helper start end params? elseStart elseEnd elseParams? argc next`; returns `next`. */
  private block(code: Code, pc: number, f: Frame): number {
    const ops = code.ops;
    const start = ops[pc + 2];
    const end = ops[pc + 3];
    const hasParams = ops[pc + 4] === 1;
    const elseStart = ops[pc + 5];
    const elseEnd = ops[pc + 6];
    const elseParams = ops[pc + 7] === 1;
    switch (ops[pc + 1]) {
      case Helper.if:
      case Helper.unless:
        if (isTruthy(this.stack.pop()) === (ops[pc + 1] === Helper.if)) {
          this.enter(code, start, end, hasParams, f, f.ctx, f.data, NO_VALUES);
        } else {
          this.enter(code, elseStart, elseEnd, elseParams, f, f.ctx, f.data, NO_VALUES);
        }
        break;
      case Helper.with: {
        const v = this.stack.pop();
        if (isTruthy(v)) this.enter(code, start, end, hasParams, f, v, f.data, [v]);
        else this.enter(code, elseStart, elseEnd, elseParams, f, f.ctx, f.data, NO_VALUES);
        break;
      }
      case Helper.each:
        if (this.each(code, start, end, hasParams, f) === 0) {
          this.enter(code, elseStart, elseEnd, elseParams, f, f.ctx, f.data, NO_VALUES);
        }
        break;
      case Helper.let:
        this.enter(code, start, end, hasParams, f, f.ctx, f.data, this.popValues(ops[pc + 8]));
        break;
    }
    return ops[pc + 9];
  }

  /** `each` body per item: lists in order, maps in sorted key order. Returns the item count. */
  private each(code: Code, start: number, end: number, hasParams: boolean, f: Frame): number {
    const v = this.stack.pop();
    if (v === null || typeof v !== 'object') return 0;
    const data: DataFrame = {
      root: f.data.root,
      parent: f.data,
      index: 0,
      key: undefined,
      first: undefined,
      last: undefined,
    };
    const keys = Array.isArray(v) ? null : sortedOwnKeys(v);
    const items = keys === null ? (v as unknown[]) : (v as Record<string, unknown>);
    const count = keys === null ? (v as unknown[]).length : keys.length;
    for (let k = 0; k < count; k++) {
      const key = keys === null ? k : keys[k];
      const item = (items as Record<string | number, unknown>)[key];
      data.index = k;
      data.key = key;
      data.first = k === 0;
      data.last = k === count - 1;
      this.enter(code, start, end, hasParams, f, item, data, hasParams ? [item, key] : NO_VALUES);
    }
    return count;
  }

  /** `PARTIAL name hasContext hashKeys indent line`: the define rendered in place. */
  private partial(code: Code, pc: number, f: Frame): void {
    const ops = code.ops;
    const hash = ops[pc + 3] >= 0 ? this.popHash(code, ops[pc + 3]) : null;
    let ctx = ops[pc + 2] === 1 ? this.stack.pop() : f.ctx;
    const name = ops[pc + 1] >= 0 ? (code.consts[ops[pc + 1]] as string) : printValue(this.stack.pop());
    const line = ops[pc + 5];
    const def = this.findDefine(name);
    if (def === undefined) throw new RenderError(this.template, line, `partial "${name}" not found`);
    if (hash !== null) ctx = Object.assign({}, ctx, hash);
    const text = this.nested(name, line, def.template, def, rootFrame(ctx, f.data));
    this.output.append(ops[pc + 4] < 0 ? text : indentLines(text, code.consts[ops[pc + 4]] as string));
  }

  /** `CALL slot argc hashKeys line column`: calls a function with the popped arguments. */
  private call(code: Code, pc: number, f: Frame): unknown {
    const ops = code.ops;
    const entry = this.core.functions[ops[pc + 1]];
    const hash = ops[pc + 3] >= 0 ? this.popHash(code, ops[pc + 3]) : EMPTY_HASH;
    const args = this.popValues(ops[pc + 2]);
    const line = ops[pc + 4];
    if (entry.builtin !== null) return this.builtin(entry, args, line);
    const depth = this.callDepth++;
    let info = this.calls[depth];
    if (info === undefined) this.calls[depth] = info = new CallRecord(this.env);
    info.hash = hash;
    info.name = entry.name;
    info.template = this.template;
    info.loc.line = line;
    info.loc.column = ops[pc + 5];
    info.root = f.data.root;
    const savedLine = this.callLine;
    this.callLine = line;
    try {
      return (entry.fn as NonNullable<FunctionEntry['fn']>)(args, info);
    } catch (err) {
      if (err instanceof BosunError || isStackOverflow(err)) throw err;
      if (err instanceof TemplateFunctionError)
        throw new RenderError(this.template, line, err.message, { cause: err });
      const message = err instanceof Error ? err.message : String(err);
      throw new RenderError(this.template, line, `error calling ${entry.name}: ${message}`, { cause: err });
    } finally {
      this.callLine = savedLine;
      this.callDepth = depth;
    }
  }

  /** Records of the calls in progress, by depth (see `CallRecord`). */
  private readonly calls: CallRecord[] = [];
  private callDepth = 0;

  /** `include NAME CTX`, `template NAME [CTX]`, `tpl STRING CTX`. */
  private builtin(entry: FunctionEntry, args: unknown[], line: number): string {
    const min = entry.builtin === 'template' ? 1 : 2;
    if (args.length < min || args.length > 2) {
      const want = min === 2 ? '2' : '1 or 2';
      throw new RenderError(
        this.template,
        line,
        `wrong number of args for ${entry.name}: want ${want} got ${args.length}`,
      );
    }
    if (typeof args[0] !== 'string') {
      throw new RenderError(
        this.template,
        line,
        `error calling ${entry.name}: first argument must be a string`,
      );
    }
    return entry.builtin === 'tpl' ? this.tpl(args[0], args[1], line) : this.include(args[0], args[1], line);
  }
}

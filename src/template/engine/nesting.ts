/**
 * Nesting of renders: include, template, tpl and partials each render a body one level
 * deeper into a captured output, with the nesting limit, the current template name (for
 * error messages) and the defines a tpl string brings. The instruction loop (`run`) is the
 * interpreter's.
 */

import { RenderError } from '../../internal/errors.js';
import type { RenderEnvironment } from '../types.js';
import type { Code, CompiledTemplate } from './bytecode.js';
import type { FunctionEntry } from './names.js';
import { Output } from './output.js';
import { type Frame, isStackOverflow, rootFrame } from './runtime.js';

/** A registered define: where its body is and the template file it came from. */
export interface Define {
  readonly code: Code;
  readonly start: number;
  readonly end: number;
  readonly template: string;
}

/** What the interpreter needs from the engine. */
export interface EngineCore {
  readonly maxOutputBytes: number;
  readonly maxIncludeDepth: number;
  /** The functions, by the slot `CALL` names. */
  readonly functions: readonly FunctionEntry[];
  define(name: string): Define | undefined;
  /** Parses a tpl string (cached); throws `RenderError` on syntax errors. */
  parseTpl(source: string): CompiledTemplate;
}

/** Render state shared by the levels of one top-level render. */
export abstract class Nesting {
  protected readonly output: Output;
  /** The value stack of expressions. */
  protected readonly stack: unknown[] = [];
  protected template: string;
  /** Line of the function call being made (for errors raised through `env`). */
  protected callLine: number | undefined = undefined;
  private depth = 0;
  private locals: Map<string, Define> | null = null;
  /** The services handed to functions (`CallInfo.env`). */
  readonly env: RenderEnvironment;

  constructor(
    protected readonly core: EngineCore,
    template: string,
  ) {
    this.template = template;
    this.output = new Output(core.maxOutputBytes, () => this.template);
    this.env = {
      include: (name, context) => this.include(name, context, undefined),
      tpl: (source, context) => this.tpl(source, context, undefined),
      hasDefine: (name) => this.findDefine(name) !== undefined,
    };
  }

  /** Runs the instructions in `[start, end)` of `code`. */
  protected abstract run(code: Code, start: number, end: number, f: Frame): void;

  /** Renders the define `name` to a string (Helm's `include`). */
  include(name: string, context: unknown, line: number | undefined): string {
    const def = this.findDefine(name);
    if (def === undefined) {
      throw new RenderError(
        this.template,
        line ?? this.callLine,
        `error calling include: template "${name}" not found`,
      );
    }
    return this.nested(name, line, def.template, def, rootFrame(context));
  }

  /** Renders `source` as a template with every define visible (Helm's `tpl`). */
  tpl(source: string, context: unknown, line: number | undefined): string {
    let t: CompiledTemplate;
    try {
      t = this.core.parseTpl(source);
    } catch (err) {
      if (!(err instanceof RenderError)) throw err;
      throw new RenderError(this.template, line ?? this.callLine, `error calling tpl: ${err.message}`, {
        cause: err,
      });
    }
    const name = `${this.template} (tpl)`;
    const saved = this.locals;
    if (t.defines.length > 0) {
      this.locals = new Map(saved ?? []);
      for (const d of t.defines)
        this.locals.set(d.name, { code: t.code, start: d.start, end: d.end, template: name });
    }
    try {
      return this.nested(
        null,
        line,
        name,
        { code: t.code, start: t.start, end: t.end, template: name },
        rootFrame(context),
      );
    } finally {
      this.locals = saved;
    }
  }

  protected findDefine(name: string): Define | undefined {
    return this.locals?.get(name) ?? this.core.define(name);
  }

  /**
   * Renders `body` one nesting level deeper, in `template`, capturing its output. `name` is
   * the define's name, or null for a tpl string.
   */
  protected nested(
    name: string | null,
    line: number | undefined,
    template: string,
    body: Define,
    frame: Frame,
  ): string {
    const savedTemplate = this.template;
    if (this.depth >= this.core.maxIncludeDepth) throw this.recursion(name, savedTemplate, line);
    const savedLine = this.callLine;
    const sp = this.stack.length;
    this.depth++;
    this.template = template;
    let text = '';
    this.output.begin();
    try {
      this.run(body.code, body.start, body.end, frame);
    } catch (err) {
      // The JavaScript stack can run out before the depth limit: report it the same way.
      if (isStackOverflow(err)) throw this.recursion(name, savedTemplate, line);
      throw err;
    } finally {
      text = this.output.end();
      // After an error the stack may hold the failed expression's values (rarely: skip the setter).
      if (this.stack.length !== sp) this.stack.length = sp;
      this.depth--;
      this.template = savedTemplate;
      this.callLine = savedLine;
    }
    return text;
  }

  private recursion(name: string | null, template: string, line: number | undefined): RenderError {
    const what = name === null ? 'tpl' : `include "${name}"`;
    return new RenderError(template, line ?? this.callLine, `recursion limit exceeded in ${what}`);
  }
}

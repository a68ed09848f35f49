/**
 * `TemplateEngine`: parses templates, keeps the defines of a chart tree, renders.
 */

import { RenderError } from '../../internal/errors.js';
import type { FunctionTable } from '../types.js';
import type { CompiledTemplate } from './bytecode.js';
import { Renderer } from './interpreter.js';
import { type FunctionIndex, indexFunctions } from './names.js';
import type { Define, EngineCore } from './nesting.js';
import { parseTemplate } from './parse.js';
import { isStackOverflow } from './runtime.js';

/** Options of a {@link TemplateEngine}. */
export interface EngineOptions {
  /** The function library (`quote`, `default`, `toYaml`, …). */
  functions: FunctionTable;
  /**
   * Most bytes (UTF-8) one top-level `render()`/`include()` may produce, includes and tpl
   * included.
   * @default 20 MiB
   */
  maxOutputBytes?: number;
  /**
   * Deepest nesting of include/template/tpl/partials (Helm's limit).
   * @default 1000
   */
  maxIncludeDepth?: number;
}

/** A parsed template: its name (the template file) and its compiled form. */
export interface ParsedTemplate {
  readonly name: string;
  readonly compiled: CompiledTemplate;
}

/** Default output cap: 20 MiB. */
export const DEFAULT_MAX_OUTPUT_BYTES = 20 * 1024 * 1024;
/** Default nesting limit of include/tpl/partials, as Helm's. */
export const DEFAULT_MAX_INCLUDE_DEPTH = 1000;
/** How many distinct tpl strings keep their parse result. */
const TPL_CACHE_SIZE = 1000;
/** How many distinct template texts keep their parse result. */
const PARSE_CACHE_SIZE = 10_000;

/**
 * The template engine: Handlebars syntax, Go-template semantics where Helm users expect them.
 *
 * ```ts
 * const engine = new TemplateEngine({ functions });
 * const helpers = engine.parse(helpersSource, 'mychart/templates/_helpers.tpl');
 * engine.addDefines(helpers);
 * const out = engine.render(engine.parse(source, 'mychart/templates/deployment.yaml'), root);
 * ```
 */
export class TemplateEngine {
  private readonly functions: FunctionIndex;
  private readonly defines = new Map<string, Define>();
  private readonly tplCache = new Map<string, CompiledTemplate>();
  /** Parse results by source text (the AST is immutable and independent of the file name). */
  private readonly parsed = new Map<string, CompiledTemplate>();
  private readonly core: EngineCore;

  constructor(options: EngineOptions) {
    this.functions = indexFunctions(options.functions);
    const defines = this.defines;
    const tplCache = this.tplCache;
    const functions = this.functions;
    this.core = {
      maxOutputBytes: options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
      maxIncludeDepth: options.maxIncludeDepth ?? DEFAULT_MAX_INCLUDE_DEPTH,
      functions: functions.entries,
      define: (name) => defines.get(name),
      parseTpl(source: string): CompiledTemplate {
        let compiled = tplCache.get(source);
        if (compiled === undefined) {
          compiled = parseGuarded(source, 'tpl', functions);
          if (tplCache.size >= TPL_CACHE_SIZE) tplCache.clear();
          tplCache.set(source, compiled);
        }
        return compiled;
      },
    };
  }

  /**
   * Parses a template. Throws `RenderError(name, line, 'parse error: …')` on syntax errors and
   * on an unknown function used with arguments or as a block.
   */
  parse(source: string, name: string): ParsedTemplate {
    // Charts often hold identical files (copies, subcharts): parse each text once.
    let compiled = this.parsed.get(source);
    if (compiled === undefined) {
      compiled = parseGuarded(source, name, this.functions);
      if (this.parsed.size >= PARSE_CACHE_SIZE) this.parsed.clear();
      this.parsed.set(source, compiled);
    }
    return { name, compiled };
  }

  /**
   * Registers every top-level `{{#define "x"}}…{{/define}}` of a parsed template; a later
   * registration of the same name replaces the earlier one. Other content is ignored.
   */
  addDefines(template: ParsedTemplate): void {
    const { code, defines } = template.compiled;
    for (const d of defines)
      this.defines.set(d.name, { code, start: d.start, end: d.end, template: template.name });
  }

  /**
   * Renders with `context` as the root (`this` and `@root`). Throws `RenderError` naming the
   * innermost template file and line, or `LimitError` when the output exceeds the cap.
   */
  render(template: ParsedTemplate, context: unknown): string {
    const renderer = new Renderer(this.core, template.name);
    return guardStack(template.name, () => renderer.render(template.compiled, context));
  }

  /** Renders a define by name with `context` as its root. */
  include(name: string, context: unknown): string {
    const def = this.defines.get(name);
    if (def === undefined) throw new RenderError(name, undefined, `template "${name}" not found`);
    const renderer = new Renderer(this.core, def.template);
    return guardStack(def.template, () => renderer.include(name, context, undefined));
  }

  /** Whether a define of that name is registered. */
  hasDefine(name: string): boolean {
    return this.defines.has(name);
  }
}

function parseGuarded(source: string, name: string, functions: FunctionIndex): CompiledTemplate {
  return guardStack(name, () => parseTemplate(source, name, functions));
}

/** Turns a call-stack overflow (absurdly deep nesting) into a `RenderError`. */
function guardStack<T>(name: string, run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (isStackOverflow(err)) {
      throw new RenderError(name, undefined, `template nesting too deep (${err.message})`, { cause: err });
    }
    throw err;
  }
}

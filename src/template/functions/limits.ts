/**
 * Limits shared by the function library, and `Walk`, the guard every recursive walk over
 * template data uses (printing, copying, comparing, encoding, merging).
 */

import { TemplateFunctionError } from '../types.js';

/** Largest string or list a function may produce (repeat, indent, until, printf padding…). */
export const MAX_OUTPUT = 20 * 1024 * 1024;
/** Deepest nesting a recursive walk follows; also stops cycles quickly. */
export const MAX_DEPTH = 1000;
/** Most values one walk visits: stops blow-ups from shared sub-trees (`dict "a" $x "b" $x` chains). */
export const MAX_NODES = 2_000_000;

/** Guards one recursive walk: call `visit(depth)` at each value. */
export class Walk {
  private left = MAX_NODES;

  /** Throws when the walk is too deep (or cyclic) or has visited too many values. */
  visit(depth: number): void {
    if (depth > MAX_DEPTH)
      throw new TemplateFunctionError(`value nested deeper than ${MAX_DEPTH} levels (or cyclic)`);
    if (--this.left < 0) throw new TemplateFunctionError(`value too large (more than ${MAX_NODES} items)`);
  }
}

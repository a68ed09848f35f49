/**
 * The compiled form of a template: a flat instruction stream (`Int32Array`) plus a constant
 * table. A parsed template keeps only this (a few objects, the instructions off the JS heap),
 * which keeps garbage collection cheap when a chart holds a thousand parsed templates.
 *
 * Expressions run on a value stack; statements write output. Every block body is a range of
 * the stream, placed right after its block instruction.
 *
 * | op        | operands                                                  | stack            |
 * |-----------|-----------------------------------------------------------|------------------|
 * | TEXT      | const                                                     |                  |
 * | PRINT     |                                                           | value →          |
 * | LIT       | const                                                     | → value          |
 * | UNDEF     |                                                           | → undefined      |
 * | PATH      | depth, n, n× const (keys)                                 | → value          |
 * | DATA      | depth, n, n× const (`@name`, then keys)                   | → value          |
 * | PARAM     | up, index, n, n× const (keys)                             | → value          |
 * | CALL      | slot, argc, hash keys const or -1, line, column           | args, hash → v   |
 * | BLOCK     | helper, start, end, params?, else start, end, params?, argc, next | args →   |
 * | PARTIAL   | name const or -1, has context, hash keys or -1, indent or -1, line | [name] [ctx] hash → |
 */

/** Instruction codes (an enum: the bundler inlines the numbers, so `switch` cases are constants). */
export enum Op {
  TEXT = 0,
  PRINT = 1,
  LIT = 2,
  UNDEF = 3,
  PATH = 4,
  DATA = 5,
  PARAM = 6,
  CALL = 7,
  BLOCK = 8,
  PARTIAL = 9,
}

/** Block helpers as `BLOCK` encodes them. */
export enum Helper {
  if = 0,
  unless = 1,
  with = 2,
  each = 3,
  let = 4,
}

/** Instructions and constants of one template (shared by its body and its defines). */
export interface Code {
  readonly ops: Int32Array;
  readonly consts: readonly unknown[];
}

/** A define compiled into its template's code. */
export interface CompiledDefine {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

/** A compiled template: its code, the range of its body and its top-level defines. */
export interface CompiledTemplate {
  readonly code: Code;
  readonly start: number;
  readonly end: number;
  readonly defines: readonly CompiledDefine[];
}

/**
 * A growable instruction buffer. Compiling writes a template's body to one buffer and its
 * defines to another (`place` joins them); both are reused for every template.
 */
export class OpBuffer {
  ops = new Int32Array(4096);
  /** Offsets of operands that are addresses (relocated when copied to the arena). */
  readonly addresses: number[] = [];
  length = 0;

  reset(): void {
    this.length = 0;
    this.addresses.length = 0;
  }

  emit(value: number): number {
    if (this.length === this.ops.length) this.grow();
    this.ops[this.length] = value;
    return this.length++;
  }

  /** Doubles the capacity. */
  grow(): void {
    const grown = new Int32Array(this.ops.length * 2);
    grown.set(this.ops);
    this.ops = grown;
  }

  /** Drops the instructions from `length` on (they hold no address). */
  truncate(length: number): void {
    this.length = length;
  }

  set(at: number, value: number): void {
    this.ops[at] = value;
  }

  /** Sets an operand that holds an address within this buffer. */
  setAddress(at: number, value: number): void {
    this.ops[at] = value;
    this.addresses.push(at);
  }
}

/**
 * Where compiled instructions live: templates are appended to a shared arena (one large
 * `Int32Array`), so compiling a template allocates no typed array of its own. A full arena is
 * replaced by a new one; templates keep the arena they were written to.
 */
const ARENA_SIZE = 1 << 16;
let arena = new Int32Array(ARENA_SIZE);
let arenaUsed = 0;

/**
 * Copies `main` and then `rest` to the arena, relocating their addresses; returns the arena and
 * the offset `main` starts at (`rest` follows it).
 */
export function place(main: OpBuffer, rest: OpBuffer): { ops: Int32Array; base: number } {
  const n = main.length + rest.length;
  if (arenaUsed + n > arena.length) {
    arena = new Int32Array(Math.max(ARENA_SIZE, n));
    arenaUsed = 0;
  }
  const base = arenaUsed;
  arena.set(main.ops.subarray(0, main.length), base);
  const mainAddresses = main.addresses;
  for (let k = 0; k < mainAddresses.length; k++) arena[base + mainAddresses[k]] += base;
  const restBase = base + main.length;
  arena.set(rest.ops.subarray(0, rest.length), restBase);
  const restAddresses = rest.addresses;
  for (let k = 0; k < restAddresses.length; k++) arena[restBase + restAddresses[k]] += restBase;
  arenaUsed += n;
  return { ops: arena, base };
}

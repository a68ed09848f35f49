/**
 * Where the parser writes bytecode (see `bytecode.ts`) as it reads: a template's body goes to
 * one buffer, its defines to another, and `finish` places both in the arena behind the body.
 * Texts are emitted as `TEXT` of a constant the whitespace pass fills in later; partial indents
 * likewise. Compiling in the same pass as parsing leaves no expression tree to build and walk.
 */

import { type CompiledDefine, type CompiledTemplate, OpBuffer, place } from './bytecode.js';

const mainBuffer = new OpBuffer();
const defineBuffer = new OpBuffer();
/** The constants being collected (`finish` copies them out at their final size). */
const sharedConsts: unknown[] = [];

/** The bytecode of the template being parsed (one at a time: parsing is never re-entered). */
export class CodeWriter {
  /** The buffer being written: the body's, or the defines' while inside a define. */
  ops: OpBuffer = mainBuffer;
  /** The constants so far (`constCount` of them; the array is shared and reused). */
  readonly consts: unknown[] = sharedConsts;
  private constCount = 0;
  private readonly defines: CompiledDefine[] = [];

  constructor() {
    mainBuffer.reset();
    defineBuffer.reset();
  }

  /** Appends one word to the current buffer; returns its offset. */
  emit(value: number): number {
    const b = this.ops;
    const at = b.length;
    if (at === b.ops.length) b.grow();
    b.ops[at] = value;
    b.length = at + 1;
    return at;
  }

  /** Appends two words (an instruction and its operand). */
  emit2(a: number, b: number): void {
    const buf = this.ops;
    const at = buf.length;
    if (at + 2 > buf.ops.length) buf.grow();
    const ops = buf.ops;
    ops[at] = a;
    ops[at + 1] = b;
    buf.length = at + 2;
  }

  /** Appends three words. */
  emit3(a: number, b: number, c: number): void {
    const buf = this.ops;
    const at = buf.length;
    if (at + 3 > buf.ops.length) buf.grow();
    const ops = buf.ops;
    ops[at] = a;
    ops[at + 1] = b;
    ops[at + 2] = c;
    buf.length = at + 3;
  }

  /** Adds a constant; returns its index. */
  constant(value: unknown): number {
    const k = this.constCount++;
    this.consts[k] = value;
    return k;
  }

  /** Writes to the defines' buffer until `endDefine`; returns the buffer written before. */
  beginDefine(): OpBuffer {
    const saved = this.ops;
    this.ops = defineBuffer;
    return saved;
  }

  /** Records a define's body (`start`/`end` in the defines' buffer) and restores `saved`. */
  endDefine(saved: OpBuffer, name: string, start: number, end: number): void {
    this.defines.push({ name, start, end });
    this.ops = saved;
  }

  /** Whether the defines' buffer is being written. */
  get inDefine(): boolean {
    return this.ops === defineBuffer;
  }

  /** Places the code in the arena and returns the compiled template. */
  finish(): CompiledTemplate {
    const bodyEnd = mainBuffer.length;
    const { ops, base } = place(mainBuffer, defineBuffer);
    const offset = base + bodyEnd;
    const defines = this.defines.map((d) => ({ name: d.name, start: offset + d.start, end: offset + d.end }));
    const consts = this.consts.slice(0, this.constCount);
    return { code: { ops, consts }, start: base, end: base + bodyEnd, defines };
  }
}

/**
 * Compiles a parsed template (after whitespace control) into bytecode (see `bytecode.ts`):
 * neighbouring texts are joined, empty texts and comments vanish, raw blocks become text,
 * defines are compiled after the body and recorded by range.
 */

import type {
  BlockStatement,
  DefineNode,
  Expression,
  HashPair,
  PartialStatement,
  Program,
  TemplateAst,
} from './ast.js';
import { type CompiledTemplate, Helper, Op, OpBuffer } from './bytecode.js';

const shared = new OpBuffer();

/** Compiles a parsed template. */
export function compileTemplate(ast: TemplateAst): CompiledTemplate {
  shared.reset();
  return new Compiler(shared).template(ast);
}

class Compiler {
  private readonly consts: unknown[] = [];
  /** Text waiting to be emitted (so that neighbouring texts become one `TEXT`). */
  private pending = '';

  constructor(private readonly ops: OpBuffer) {}

  template(ast: TemplateAst): CompiledTemplate {
    const [start, end] = this.program(ast.body);
    const ranges = ast.defines.map((d: DefineNode) => this.program(d.body));
    const { ops, base } = this.ops.finish();
    const defines = ast.defines.map((d, k) => ({
      name: d.name,
      start: base + ranges[k][0],
      end: base + ranges[k][1],
    }));
    return { code: { ops, consts: this.consts }, start: base + start, end: base + end, defines };
  }

  /** Emits a program; returns its range. */
  private program(p: Program | null): [number, number] {
    const start = this.ops.length;
    if (p !== null) {
      for (const node of p.body) {
        switch (node.type) {
          case 'content':
            this.pending += node.value;
            break;
          case 'comment':
            break;
          case 'mustache':
            this.expression(node.expr);
            this.emit(Op.PRINT);
            break;
          case 'block':
            this.block(node);
            break;
          case 'partial':
            this.partial(node);
            break;
        }
      }
    }
    this.flush();
    return [start, this.ops.length];
  }

  private flush(): void {
    if (this.pending === '') return;
    const text = this.pending;
    this.pending = '';
    this.ops.emit(Op.TEXT);
    this.ops.emit(this.constant(text));
  }

  /** Emits an instruction, after any pending text. */
  private emit(op: number): number {
    this.flush();
    return this.ops.emit(op);
  }

  private constant(value: unknown): number {
    return this.consts.push(value) - 1;
  }

  private block(b: BlockStatement): void {
    if (b.helper === 'define') return;
    if (b.helper === 'raw') {
      for (const node of b.program?.body ?? []) if (node.type === 'content') this.pending += node.value;
      return;
    }
    for (const param of b.params) this.expression(param);
    const at = this.emit(Op.BLOCK);
    this.ops.emit(Helper[b.helper]);
    for (let k = 0; k < 8; k++) this.ops.emit(0);
    const [start, end] = this.program(b.program);
    const [elseStart, elseEnd] = this.program(b.inverse);
    this.ops.setAddress(at + 2, start);
    this.ops.setAddress(at + 3, end);
    this.ops.set(at + 4, b.program?.blockParams ? 1 : 0);
    this.ops.setAddress(at + 5, elseStart);
    this.ops.setAddress(at + 6, elseEnd);
    this.ops.set(at + 7, b.inverse?.blockParams ? 1 : 0);
    this.ops.set(at + 8, b.params.length);
    this.ops.setAddress(at + 9, this.ops.length);
  }

  private partial(p: PartialStatement): void {
    if (typeof p.name !== 'string') this.expression(p.name);
    if (p.context !== null) this.expression(p.context);
    const keys = this.hash(p.hash);
    this.emit(Op.PARTIAL);
    this.ops.emit(typeof p.name === 'string' ? this.constant(p.name) : -1);
    this.ops.emit(p.context === null ? 0 : 1);
    this.ops.emit(keys);
    this.ops.emit(p.indent === '' ? -1 : this.constant(p.indent));
    this.ops.emit(p.line);
  }

  /** Emits the values of a hash; returns the constant holding its keys, or -1. */
  private hash(pairs: readonly HashPair[] | null): number {
    if (pairs === null) return -1;
    for (const pair of pairs) this.expression(pair.value);
    return this.constant(pairs.map((pair) => pair.key));
  }

  private expression(e: Expression): void {
    switch (e.type) {
      case 'literal':
        if (e.value === undefined) this.emit(Op.UNDEF);
        else {
          this.emit(Op.LIT);
          this.ops.emit(this.constant(e.value));
        }
        return;
      case 'path':
        this.emit(Op.PATH);
        this.ops.emit(e.depth);
        this.keys(e.parts);
        return;
      case 'data':
        this.emit(Op.DATA);
        this.ops.emit(e.depth);
        this.keys(e.parts);
        return;
      case 'blockParam':
        this.emit(Op.PARAM);
        this.ops.emit(e.up);
        this.ops.emit(e.index);
        this.keys(e.parts);
        return;
      case 'call': {
        for (const param of e.params) this.expression(param);
        const keys = this.hash(e.hash);
        this.emit(Op.CALL);
        this.ops.emit(e.fn.slot);
        this.ops.emit(e.params.length);
        this.ops.emit(keys);
        this.ops.emit(e.line);
        this.ops.emit(e.column);
        return;
      }
    }
  }

  private keys(parts: readonly string[]): void {
    this.ops.emit(parts.length);
    for (const part of parts) this.ops.emit(this.constant(part));
  }
}

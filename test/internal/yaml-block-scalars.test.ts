/**
 * The line-level half of the block reader, `BlockScalarReader`, on its own: its cursor over
 * content lines and the scalars it reads within a line. Every way out of the subset must throw
 * `GIVE_UP`, which `readBlockYaml` turns into `UNSUPPORTED`.
 */

import { describe, expect, it } from 'vitest';
import { BlockScalarReader, GIVE_UP } from '../../src/internal/yaml-block-scalars.js';
import { resolvePlain } from '../../src/internal/yaml-fast.js';

/** Opens the protected steps to the tests; starts on the first content line. */
class Probe extends BlockScalarReader {
  constructor(text: string) {
    super(text, resolvePlain);
    this.advance();
  }

  /** The current line's content (from its indentation on) and indentation; undefined past the end. */
  line(): { text: string; indent: number } | undefined {
    return this.c < 0 ? undefined : { text: this.s.slice(this.c, this.e), indent: this.indent };
  }

  step(): void {
    this.advance();
  }

  /** The quoted scalar at the current line's offset `p` (relative to its content). */
  quotedAt(p: number): string {
    const start = this.c + p;
    return this.quoted(start, this.quotedEnd(start));
  }

  /** Where a plain scalar at `p` stops, relative to the line's content. */
  plainStopAt(p: number): number {
    return this.plainStop(this.c + p, this.e) - this.c;
  }

  endOfLineAt(p: number): void {
    this.endOfLine(this.c + p);
  }

  /** The flow sequence at `p`, and the offset after it (relative to the line's content). */
  flowAt(p: number): { items: unknown[]; end: number } {
    const items: unknown[] = [];
    const end = this.flowSequence(this.c + p, items) - this.c;
    return { items, end };
  }

  blockScalarAt(p: number, parent: number): string {
    return this.blockScalar(this.c + p, parent);
  }

  keyOf(text: string): string {
    return this.key(text);
  }
}

/** What `fn` throws, or undefined. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
}

describe('BlockScalarReader cursor', () => {
  it('walks content lines, skipping blank and comment lines', () => {
    const r = new Probe('# head\n\na: 1\n   # indented comment\n  b: 2\n');
    expect(r.line()).toEqual({ text: 'a: 1', indent: 0 });
    r.step();
    expect(r.line()).toEqual({ text: 'b: 2', indent: 2 });
    r.step();
    expect(r.line()).toBeUndefined();
  });

  it('has no line in a text of comments only', () => {
    expect(new Probe('# only\n\n').line()).toBeUndefined();
  });
});

describe('BlockScalarReader scalars', () => {
  it("reads quoted scalars, with '' as a quote in single quotes", () => {
    expect(new Probe("'it''s' # c").quotedAt(0)).toBe("it's");
    expect(new Probe('k: "a b"').quotedAt(3)).toBe('a b');
  });

  it('gives up on escapes and on quotes not closed on their line', () => {
    expect(thrown(() => new Probe('"a\\tb"').quotedAt(0))).toBe(GIVE_UP);
    expect(thrown(() => new Probe("'open\nclose'").quotedAt(0))).toBe(GIVE_UP);
  });

  it('stops a plain scalar at a key colon or a comment', () => {
    expect(new Probe('key: value').plainStopAt(0)).toBe(3);
    expect(new Probe('url: http://x:80 # port').plainStopAt(5)).toBe(16);
    expect(new Probe('a:b').plainStopAt(0)).toBe(3);
    expect(new Probe('a#b').plainStopAt(0)).toBe(3);
  });

  it('accepts only spaces and a comment after a value', () => {
    expect(thrown(() => new Probe('x   # c').endOfLineAt(1))).toBeUndefined();
    expect(thrown(() => new Probe('x').endOfLineAt(1))).toBeUndefined();
    expect(thrown(() => new Probe('x y').endOfLineAt(1))).toBe(GIVE_UP);
    expect(thrown(() => new Probe('"x"y').endOfLineAt(3))).toBe(GIVE_UP);
  });

  it('resolves keys like plain scalars but refuses merge keys', () => {
    const r = new Probe('x');
    expect(r.keyOf('1')).toBe('1');
    expect(r.keyOf('true')).toBe('true');
    expect(thrown(() => r.keyOf('<<'))).toBe(GIVE_UP);
  });
});

describe('BlockScalarReader flow sequences', () => {
  it('reads one-line sequences of scalars, resolving plain items', () => {
    expect(new Probe('k: [a, \'b\', "c", 1, true]').flowAt(3)).toEqual({
      items: ['a', 'b', 'c', 1, true],
      end: 25,
    });
    expect(new Probe('[]').flowAt(0)).toEqual({ items: [], end: 2 });
  });

  it('gives up on nesting, mappings, empty items and unclosed sequences', () => {
    for (const text of ['[[a]]', '[a: b]', '[a, ]', '[a, b', '[a # c]', '[-]']) {
      expect(
        thrown(() => new Probe(text).flowAt(0)),
        text,
      ).toBe(GIVE_UP);
    }
  });
});

describe('BlockScalarReader block scalars', () => {
  it('reads literal and folded scalars with their chomping, and moves past them', () => {
    const literal = new Probe('k: |-\n  a\n  b\n\nnext: 1\n');
    expect(literal.blockScalarAt(3, 0)).toBe('a\nb');
    expect(literal.line()).toEqual({ text: 'next: 1', indent: 0 });
    expect(new Probe('k: >\n  a\n  b\n').blockScalarAt(3, 0)).toBe('a b\n');
    expect(new Probe('k: |+\n  a\n\n').blockScalarAt(3, 0)).toBe('a\n\n');
  });

  it('leaves root scalars and explicit indentation to js-yaml', () => {
    expect(thrown(() => new Probe('|\n  a\n').blockScalarAt(0, -1))).toBe(GIVE_UP);
    expect(thrown(() => new Probe('k: |2\n  a\n').blockScalarAt(3, 0))).toBe(GIVE_UP);
  });
});

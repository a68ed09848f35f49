/**
 * The output of a render, with the size cap enforced as it grows.
 *
 * Nested renders (include, tpl, partials) capture their own text: `begin()` parks the outer
 * text, `end()` returns the inner text and restores the outer. The cap applies to the sum of
 * all texts being built at once, so the final output never exceeds it and memory stays bounded
 * however includes nest. Bytes are UTF-8 bytes; while the text is short enough that even
 * 3 bytes per UTF-16 unit stays under the cap, only the cheap unit count is kept.
 */

import { LimitError } from '../../internal/errors.js';

/** A capped, nestable output buffer. */
export class Output {
  /** Text of the innermost render. */
  text = '';
  private readonly parked: string[] = [];
  private units = 0;
  private bytes = 0;
  private exact = false;
  private readonly softLimit: number;

  /** `describe()` names the render in the limit error (e.g. the template file). */
  constructor(
    private readonly maxBytes: number,
    private readonly describe: () => string,
  ) {
    this.softLimit = Math.floor(maxBytes / 3);
  }

  /** Appends text; throws `LimitError` once the cap is exceeded. */
  append(s: string): void {
    this.text += s;
    if (this.exact) {
      this.bytes += Buffer.byteLength(s);
      if (this.bytes > this.maxBytes) this.overflow();
    } else if ((this.units += s.length) > this.softLimit) {
      // Past a third of the cap the UTF-8 size could exceed it: count bytes from here on.
      this.exact = true;
      this.bytes = Buffer.byteLength(this.text);
      for (const p of this.parked) this.bytes += Buffer.byteLength(p);
      if (this.bytes > this.maxBytes) this.overflow();
    }
  }

  /** Starts a nested capture. */
  begin(): void {
    this.parked.push(this.text);
    this.text = '';
  }

  /** Ends the nested capture and returns its text (no longer counted until appended). */
  end(): string {
    const text = this.text;
    this.text = this.parked.pop() ?? '';
    if (this.exact) this.bytes -= Buffer.byteLength(text);
    else this.units -= text.length;
    return text;
  }

  private overflow(): never {
    throw new LimitError(`${this.describe()}: rendered output exceeds ${this.maxBytes} bytes`);
  }
}

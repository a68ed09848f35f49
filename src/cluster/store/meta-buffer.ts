/**
 * Meta values written in a transaction, kept in memory until it commits. Some meta values are
 * rewritten by nearly every write (the generator state, allocators, kubelet records), so a batch
 * of writes stores each name once instead of once per write. Nested transactions mark the buffer
 * and roll back to their mark, as savepoints do.
 */
export class MetaBuffer {
  /** Name → JSON text, or undefined for a deletion. */
  private readonly values = new Map<string, string | undefined>();
  /** How to undo each change: the name and what the buffer held before (absent: `had` false). */
  private readonly undo: { name: string; had: boolean; prev: string | undefined }[] = [];

  /** Whether `name` was written in this transaction (then `get` tells its value). */
  has(name: string): boolean {
    return this.values.has(name);
  }

  /** The buffered text of `name` (undefined when it was deleted). */
  get(name: string): string | undefined {
    return this.values.get(name);
  }

  set(name: string, text: string | undefined): void {
    this.undo.push({ name, had: this.values.has(name), prev: this.values.get(name) });
    this.values.set(name, text);
  }

  /** A point to roll back to. */
  mark(): number {
    return this.undo.length;
  }

  /** Forgets the changes made since `mark`. */
  rollbackTo(mark: number): void {
    while (this.undo.length > mark) {
      const step = this.undo.pop()!;
      if (step.had) this.values.set(step.name, step.prev);
      else this.values.delete(step.name);
    }
  }

  /** The final value of every name written, for the commit. */
  entries(): IterableIterator<[string, string | undefined]> {
    return this.values.entries();
  }
}

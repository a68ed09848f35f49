/**
 * The runtime's queues: keys ready to reconcile (first in, first out, each at most once) and
 * wake-ups scheduled at cluster times (one per key, the earliest wins), split by kind so
 * `settle()` can find the next *progress* wake-up without scanning.
 */

import type { WakeKind } from './types.js';

/** `controller\0key`: one queue entry. */
export type QueueItem = string;

export const itemOf = (controller: string, key: string): QueueItem => `${controller}\0${key}`;

export function splitItem(item: QueueItem): { controller: string; key: string } {
  const at = item.indexOf('\0');
  return { controller: item.slice(0, at), key: item.slice(at + 1) };
}

/** A scheduled wake-up. */
export interface Wake {
  readonly item: QueueItem;
  readonly at: number;
  readonly kind: WakeKind;
  /** Insertion order, so equal times fire in the order they were scheduled. */
  readonly seq: number;
}

/** A binary min-heap of wake-ups by (at, seq), with lazy removal. */
class WakeHeap {
  private readonly items: Wake[] = [];

  get size(): number {
    return this.items.length;
  }

  push(wake: Wake): void {
    const a = this.items;
    a.push(wake);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(a[i]!, a[parent]!)) break;
      [a[i], a[parent]] = [a[parent]!, a[i]!];
      i = parent;
    }
  }

  peek(): Wake | undefined {
    return this.items[0];
  }

  pop(): Wake | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && before(a[l]!, a[m]!)) m = l;
        if (r < a.length && before(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

const before = (a: Wake, b: Wake): boolean => a.at < b.at || (a.at === b.at && a.seq < b.seq);

/** Ready keys plus scheduled wake-ups. */
export class WorkQueue {
  private readonly ready = new Set<QueueItem>();
  /** The live wake-up of each item (heap entries that differ are stale). */
  private readonly wakes = new Map<QueueItem, Wake>();
  private readonly all = new WakeHeap();
  private readonly progress = new WakeHeap();
  private seq = 0;

  /** Queues an item to run now. */
  add(item: QueueItem): void {
    this.ready.add(item);
  }

  /** Schedules an item at `at` (kept only when earlier than its pending wake-up). */
  addAt(item: QueueItem, at: number, kind: WakeKind): void {
    const current = this.wakes.get(item);
    if (
      current !== undefined &&
      (current.at < at || (current.at === at && (current.kind === 'progress' || kind === 'wait')))
    )
      return;
    const wake: Wake = { item, at, kind, seq: this.seq++ };
    this.wakes.set(item, wake);
    this.all.push(wake);
    if (kind === 'progress') this.progress.push(wake);
  }

  /** The next ready item (removed), or undefined. */
  next(): QueueItem | undefined {
    const first = this.ready.values().next();
    if (first.done) return undefined;
    this.ready.delete(first.value);
    return first.value;
  }

  get readyCount(): number {
    return this.ready.size;
  }

  /** Moves every wake-up due at `now` (or earlier) to the ready queue; returns how many. */
  release(now: number): number {
    let moved = 0;
    for (let top = this.all.peek(); top !== undefined && top.at <= now; top = this.all.peek()) {
      this.all.pop();
      if (this.wakes.get(top.item) !== top) continue;
      this.wakes.delete(top.item);
      this.ready.add(top.item);
      moved++;
    }
    return moved;
  }

  /** The time of the earliest pending wake-up (of one kind, or any). */
  nextAt(kind?: WakeKind): number | undefined {
    const heap = kind === 'progress' ? this.progress : this.all;
    for (let top = heap.peek(); top !== undefined; top = heap.peek()) {
      if (this.wakes.get(top.item) === top) return top.at;
      heap.pop();
    }
    return undefined;
  }

  /** Pending wake-ups, in firing order (for storing them with the cluster). */
  pendingWakes(): Wake[] {
    return [...this.wakes.values()].sort((a, b) => a.at - b.at || a.seq - b.seq);
  }

  /** Counts for status output. */
  counts(): { ready: number; progress: number; wait: number } {
    let progress = 0;
    for (const wake of this.wakes.values()) if (wake.kind === 'progress') progress++;
    return { ready: this.ready.size, progress, wait: this.wakes.size - progress };
  }

  clear(): void {
    this.ready.clear();
    this.wakes.clear();
    while (this.all.size > 0) this.all.pop();
    while (this.progress.size > 0) this.progress.pop();
  }
}

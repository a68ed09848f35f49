/** Helpers of the field diff (`field-changes.ts`): matching the items of two keyed lists by their keys. */

import { itemSegment } from './field-set.js';
import type { JsonObject } from './json-values.js';

/**
 * Whether every item's key is a string, a finite number or a boolean: values whose key segments
 * are equal exactly when the values are, so that items can be matched without making segments.
 */
export function plainKeys(list: readonly JsonObject[], key: string): boolean {
  for (const item of list) {
    const v = item[key];
    const type = typeof v;
    if (type !== 'string' && type !== 'boolean' && !(type === 'number' && Number.isFinite(v))) return false;
  }
  return true;
}

/** What identifies the items of a keyed list (their key values, or key segments), found by position first. */
export class ItemIds {
  private index: Map<unknown, number> | undefined;
  constructor(readonly ids: unknown[]) {
    if (ids.length > 16) this.index = new Map(ids.map((id, i) => [id, i]));
  }
  /** The position of `id` (-1 if absent), looked for at `hint` first. */
  indexOf(id: unknown, hint: number): number {
    if (this.ids[hint] === id) return hint;
    return this.index === undefined ? this.ids.indexOf(id) : (this.index.get(id) ?? -1);
  }
}

/** The ids of a keyed list's items (key values when `byValue`, else segments), or undefined when two items share one. */
export function itemIds(list: readonly JsonObject[], key: string, byValue: boolean): ItemIds | undefined {
  const ids: unknown[] = [];
  const seen = list.length > 16 ? new Set<unknown>() : undefined;
  for (const item of list) {
    const id = byValue ? item[key] : itemSegment(key, item[key]);
    if (seen === undefined ? ids.includes(id) : seen.has(id)) return undefined;
    seen?.add(id);
    ids.push(id);
  }
  return new ItemIds(ids);
}

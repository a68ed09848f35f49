/**
 * Helm's `mergeMaps` for user-supplied values (`-f` files, a whole `--set-json` object).
 */

import { assertSafeKey, isPlainObject, ownProp, type PlainObject } from '../internal/objects.js';

/**
 * Deep-merges `src` into `dst` in place and returns `dst`: maps merge key by key, anything
 * else (lists, scalars, `null`) from `src` replaces what `dst` held. `src` subtrees are
 * adopted, not copied; `where` names the source in errors about forbidden keys.
 */
export function mergeMaps(dst: PlainObject, src: PlainObject, where = 'values'): PlainObject {
  for (const key of Object.keys(src)) {
    assertSafeKey(key, where);
    const value = src[key];
    const current = ownProp(dst, key);
    if (isPlainObject(value) && isPlainObject(current)) {
      mergeMaps(current, value, where);
    } else {
      dst[key] = value;
    }
  }
  return dst;
}

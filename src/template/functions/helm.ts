/**
 * Helm's own functions: `required`, `fail`, `lookup` and `getHostByName`. (`include`, `tpl`
 * and `template` belong to the engine.)
 */

import { isPlainObject } from '../../internal/objects.js';
import { deepCopyValue, type FunctionMap, fail, fn, isNil, strArg } from './args.js';

/** What Helm's functions need from the render. */
export interface HelmFunctionOptions {
  /** Live cluster lookup; absent → Helm's offline behaviour (an empty map). */
  lookup?: (apiVersion: string, kind: string, namespace: string, name: string) => unknown;
  /** Lint mode: `required` returns `""` instead of failing. */
  lintMode?: boolean;
}

/** Helm functions. */
export function helmFunctions(options: HelmFunctionOptions): FunctionMap {
  return {
    required: fn(2, 2, ([msg, val]) => {
      if (isNil(val) || val === '') {
        if (options.lintMode) return '';
        fail(strArg(msg));
      }
      return val;
    }),
    fail: fn(1, 1, ([msg]) => fail(strArg(msg))),
    lookup: fn(4, 4, ([apiVersion, kind, namespace, name]) => {
      if (!options.lookup) return {};
      const found = options.lookup(strArg(apiVersion), strArg(kind), strArg(namespace), strArg(name));
      if (isNil(found)) return {};
      if (!isPlainObject(found)) fail('lookup: the cluster returned something other than an object');
      return deepCopyValue(found);
    }),
    getHostByName: fn(1, 1, () => ''),
  };
}

/**
 * JSON patch (RFC 6902, `application/json-patch+json`): `add`, `remove`, `replace`, `move`,
 * `copy` and `test` on JSON pointers (RFC 6901), with the messages of the Go library Kubernetes
 * uses (`add operation does not apply: doc is missing path: "/spec/x": missing value`).
 */

import { cloneJson, isJsonObject, type JsonObject, jsonEqual, setOwn } from './json-values.js';

/** Why a JSON patch cannot be decoded (400) or applied (422). */
export class JsonPatchError extends Error {
  constructor(
    message: string,
    /** `decode`: the patch itself is malformed; `apply`: it does not apply to the document. */
    readonly phase: 'decode' | 'apply',
  ) {
    super(message);
    this.name = 'JsonPatchError';
  }
}

/** One operation of a JSON patch. */
export interface JsonPatchOperation {
  readonly op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  readonly path: string;
  readonly from?: string;
  readonly value?: unknown;
}

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

/** Checks that `patch` is a list of operations; throws a `decode` error otherwise. */
export function decodeJsonPatch(patch: unknown): JsonPatchOperation[] {
  if (!Array.isArray(patch)) {
    throw new JsonPatchError(
      `json: cannot unmarshal ${isJsonObject(patch) ? 'object' : typeof patch} into Go value of type jsonpatch.Patch`,
      'decode',
    );
  }
  return patch.map((op) => {
    if (!isJsonObject(op))
      throw new JsonPatchError('json: cannot unmarshal into Go value of type jsonpatch.Operation', 'decode');
    if (!OPS.has(String(op.op)))
      throw new JsonPatchError(`Unexpected kind: ${String(op.op ?? '')}`, 'decode');
    if (typeof op.path !== 'string')
      throw new JsonPatchError(`${String(op.op)} operation failed to decode path`, 'decode');
    if ((op.op === 'move' || op.op === 'copy') && typeof op.from !== 'string') {
      throw new JsonPatchError(`${String(op.op)} operation failed to decode from`, 'decode');
    }
    if ((op.op === 'add' || op.op === 'replace' || op.op === 'test') && !Object.hasOwn(op, 'value')) {
      throw new JsonPatchError(`${String(op.op)} operation missing value`, 'decode');
    }
    return op as unknown as JsonPatchOperation;
  });
}

/** The reference tokens of a JSON pointer (`/a/b~1c` → `['a', 'b/c']`). */
function tokensOf(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/'))
    throw new JsonPatchError(`JSON pointer must be empty or start with a "/": ${pointer}`, 'apply');
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

type Container = JsonObject | unknown[];

/** The container holding the last token of `pointer`, or undefined when a step is missing. */
function parentOf(doc: unknown, tokens: readonly string[]): Container | undefined {
  let cur: unknown = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) {
      const i = arrayIndex(t, cur.length - 1);
      cur = cur[i];
    } else if (isJsonObject(cur) && Object.hasOwn(cur, t)) {
      cur = cur[t];
    } else {
      return undefined;
    }
  }
  return Array.isArray(cur) || isJsonObject(cur) ? cur : undefined;
}

function arrayIndex(token: string, max: number): number {
  const i = /^(0|[1-9]\d*)$/.test(token) ? Number(token) : Number.NaN;
  if (!(i >= 0 && i <= max))
    throw new JsonPatchError(`Unable to access invalid index: ${token}: invalid index referenced`, 'apply');
  return i;
}

function getAt(doc: unknown, tokens: readonly string[]): { found: boolean; value?: unknown } {
  if (tokens.length === 0) return { found: true, value: doc };
  const parent = parentOf(doc, tokens);
  const key = tokens[tokens.length - 1]!;
  if (Array.isArray(parent)) {
    const i = /^(0|[1-9]\d*)$/.test(key) ? Number(key) : -1;
    return i >= 0 && i < parent.length ? { found: true, value: parent[i] } : { found: false };
  }
  if (isJsonObject(parent) && Object.hasOwn(parent, key)) return { found: true, value: parent[key] };
  return { found: false };
}

const missing = (op: string, path: string) =>
  new JsonPatchError(
    `${op} operation does not apply: doc is missing path: "${path}": missing value`,
    'apply',
  );

/** Applies a decoded patch to a copy of `doc` and returns it. Throws `JsonPatchError` (`apply`). */
export function applyJsonPatch(doc: unknown, operations: readonly JsonPatchOperation[]): unknown {
  let out = cloneJson(doc);
  const add = (path: string, value: unknown, op: string) => {
    const tokens = tokensOf(path);
    if (tokens.length === 0) {
      out = value;
      return;
    }
    const parent = parentOf(out, tokens);
    if (parent === undefined) throw missing(op, path);
    const key = tokens[tokens.length - 1]!;
    if (Array.isArray(parent)) {
      if (key === '-') parent.push(value);
      else parent.splice(arrayIndex(key, parent.length), 0, value);
    } else {
      setOwn(parent, key, value);
    }
  };
  const remove = (path: string, op: string): unknown => {
    const tokens = tokensOf(path);
    const parent = parentOf(out, tokens);
    if (parent === undefined || tokens.length === 0) throw missing(op, path);
    const key = tokens[tokens.length - 1]!;
    if (Array.isArray(parent)) return parent.splice(arrayIndex(key, parent.length - 1), 1)[0];
    if (!Object.hasOwn(parent, key)) {
      throw new JsonPatchError(
        `error in remove for path: '${path}': Unable to remove nonexistent key: ${key}: missing value`,
        'apply',
      );
    }
    const value = parent[key];
    delete parent[key];
    return value;
  };
  for (const op of operations) {
    switch (op.op) {
      case 'add':
        add(op.path, cloneJson(op.value), 'add');
        break;
      case 'remove':
        remove(op.path, 'remove');
        break;
      case 'replace': {
        const tokens = tokensOf(op.path);
        if (tokens.length === 0) {
          out = cloneJson(op.value);
          break;
        }
        const parent = parentOf(out, tokens);
        if (parent === undefined) {
          throw new JsonPatchError(
            `replace operation does not apply: doc is missing path: ${op.path}: missing value`,
            'apply',
          );
        }
        if (!getAt(out, tokens).found) {
          throw new JsonPatchError(
            `replace operation does not apply: doc is missing key: ${op.path}: missing value`,
            'apply',
          );
        }
        const key = tokens[tokens.length - 1]!;
        if (Array.isArray(parent)) parent[Number(key)] = cloneJson(op.value);
        else setOwn(parent, key, cloneJson(op.value));
        break;
      }
      case 'move': {
        const from = getAt(out, tokensOf(op.from!));
        if (!from.found) {
          throw new JsonPatchError(
            `move operation does not apply: doc is missing from path: ${op.from}: missing value`,
            'apply',
          );
        }
        add(op.path, remove(op.from!, 'move'), 'move');
        break;
      }
      case 'copy': {
        const from = getAt(out, tokensOf(op.from!));
        if (!from.found) {
          throw new JsonPatchError(
            `copy operation does not apply: doc is missing from path: ${op.from}: missing value`,
            'apply',
          );
        }
        add(op.path, cloneJson(from.value), 'copy');
        break;
      }
      case 'test': {
        const at = getAt(out, tokensOf(op.path));
        if (!at.found || !jsonEqual(at.value, op.value)) {
          throw new JsonPatchError(`testing value ${op.path} failed: test failed`, 'apply');
        }
        break;
      }
    }
  }
  return out;
}

/**
 * What the bootstrap builders share: the API they write through, the timeline clock, the seeded
 * generator, and small helpers (owner references, status writes, the template hash).
 */

import type { ClusterApi } from '../api/machinery/cluster-api.js';
import type { SeededRandom } from '../api/machinery/seeded-random.js';
import type { KubeObject } from '../store/types.js';

/** A JSON object. */
export type Json = Record<string, unknown>;

/** What the bootstrap needs from the cluster being built. */
export interface BootstrapContext {
  /** The API every object is created through (so every object is defaulted and validated). */
  readonly api: ClusterApi;
  /** How many nodes (node1 is the control plane). */
  readonly nodes: number;
  /** Moves the cluster clock to `seconds` after the start of the bootstrap timeline. */
  readonly at: (seconds: number) => void;
  /** The current timeline time, RFC 3339, optionally `seconds` later. */
  readonly time: (seconds?: number) => string;
  /** Runs `fn` with the cluster's seeded generator (its state is stored with the cluster). */
  readonly draw: <T>(fn: (random: SeededRandom) => T) => T;
  /** The cluster's (fake) certificate authority, PEM. */
  readonly caCert: string;
}

/** The `metadata` of an object. */
export function metaOf(object: KubeObject): Json {
  return (object.metadata ?? {}) as Json;
}

/** `metadata.name` of an object. */
export const nameOf = (object: KubeObject): string => String(metaOf(object).name ?? '');

/** `metadata.uid` of an object. */
export const uidOf = (object: KubeObject): string => String(metaOf(object).uid ?? '');

/** A controller owner reference to `owner`. */
export function controllerRef(owner: KubeObject, blockOwnerDeletion = true): Json {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: nameOf(owner),
    uid: uidOf(owner),
    controller: true,
    ...(blockOwnerDeletion ? { blockOwnerDeletion: true } : {}),
  };
}

/** Creates an object as the named component, returning it as stored. */
export function create(ctx: BootstrapContext, object: KubeObject, fieldManager: string): KubeObject {
  return ctx.api.create(object, { fieldManager });
}

/** Creates a ConfigMap (`metadata` and `data` as given) as the named component. */
export function createConfigMap(
  ctx: BootstrapContext,
  metadata: Json,
  data: Record<string, string>,
  fieldManager: string,
): KubeObject {
  return create(ctx, { apiVersion: 'v1', kind: 'ConfigMap', metadata, data }, fieldManager);
}

/** Replaces an object's status through the status subresource, returning it as stored. */
export function setStatus(
  ctx: BootstrapContext,
  object: KubeObject,
  status: Json,
  fieldManager: string,
): KubeObject {
  return ctx.api.update({ ...object, status }, { subresource: 'status', fieldManager });
}

/** JSON with object keys sorted, so equal objects print equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Json)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** 32-bit FNV-1a of a string's UTF-8 bytes. */
export function fnv32a(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * A pod template's hash, shaped as Kubernetes shapes `pod-template-hash` and
 * `controller-revision-hash`: FNV-1a (32 bits) of the template, in decimal, each digit mapped
 * through `rand.SafeEncodeString` (so `7c8bbcd9bc`). Kubernetes hashes Go's dump of the struct;
 * bosun hashes the canonical JSON of the stored (defaulted) template, so a controller that
 * hashes the same template the same way finds the bootstrapped ReplicaSets and revisions.
 */
export function templateHash(template: unknown, collisionCount = 0): string {
  const digits = String(fnv32a(canonicalJson(template) + (collisionCount ? `#${collisionCount}` : '')));
  let out = '';
  for (let i = 0; i < digits.length; i++) out += SAFE_ALPHABET[digits.charCodeAt(i) % SAFE_ALPHABET.length];
  return out;
}

/** Base64url without padding (JWT segments). */
export const base64url = (bytes: Buffer | string): string =>
  Buffer.from(bytes).toString('base64').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');

/** `count` random bytes from the seeded generator. */
export function randomBytes(random: SeededRandom, count: number): Buffer {
  const out = Buffer.alloc(count);
  for (let i = 0; i < count; i += 4) {
    const word = random.nextUint32();
    for (let j = 0; j < 4 && i + j < count; j++) out[i + j] = (word >>> (8 * j)) & 0xff;
  }
  return out;
}

/** A PEM block around `bytes`, 64 characters a line. */
export function pem(label: string, bytes: Buffer): string {
  const body = bytes.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${body.join('\n')}\n-----END ${label}-----\n`;
}

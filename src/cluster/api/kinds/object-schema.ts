/**
 * `KubeObjectSchema`: conversion, defaulting and validation of incoming objects, in the order
 * kube-apiserver does them — decode against the written version's schema (wrong types, unknown
 * fields), convert to the served version, default, then validate semantically.
 */

import type { KubeObject } from '../../store/types.js';
import { isDecodeError, type KubeFieldError } from '../schema/field-errors.js';
import { applySchemaDefaults } from '../schema/nodes.js';
import { checkStructure, type StructureResult } from '../schema/structure.js';
import { apiVersionOf, type FieldError, type KindInfo, type ObjectSchema } from '../types.js';
import { noKindMatchError, toApiError } from './api-errors.js';
import { convertObject } from './convert.js';
import { applyKindDefaults } from './defaults.js';
import { isObj } from './object-paths.js';
import type { BuiltinKindRegistry, VersionSchema } from './registry.js';
import { validateKind } from './validate-kinds.js';
import { validateObjectMeta } from './validate-meta.js';

/** How unknown fields are treated, as kubectl's `--validate` / the API's `fieldValidation` say. */
export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** Options of {@link KubeObjectSchema.validate} and {@link KubeObjectSchema.admit}. */
export interface ValidateOptions {
  /** @default 'Strict' */
  readonly fieldValidation?: FieldValidation;
}

/** What {@link KubeObjectSchema.admit} returns. */
export interface Admitted {
  /** The object in the served version, defaulted (a new object when it was converted or pruned). */
  readonly object: KubeObject;
  readonly info: KindInfo;
  /** `unknown field "spec.replicas"` lines under `Warn` (kubectl prints them as `Warning: …`). */
  readonly warnings: readonly string[];
}

/** Options of {@link KubeObjectSchema}. */
export interface KubeObjectSchemaOptions {
  /** Five characters for generated names (`kube-api-access-xxxxx`); the cluster's seeded generator. */
  readonly randomSuffix?: (object: KubeObject) => string;
}

const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** A deterministic five-character suffix from the object's namespace and name. */
function hashSuffix(object: KubeObject): string {
  const meta = isObj(object.metadata) ? object.metadata : {};
  let h = 2166136261;
  for (const c of `${String(meta.namespace ?? '')}/${String(meta.name ?? meta.generateName ?? '')}`) {
    h ^= c.charCodeAt(0);
    h = Math.imul(h, 16777619) >>> 0;
  }
  let s = '';
  for (let i = 0; i < 5; i++) {
    s += SUFFIX_ALPHABET[h % SUFFIX_ALPHABET.length];
    h = Math.floor(h / SUFFIX_ALPHABET.length) + i * 7919;
  }
  return s;
}

/** Drops generic required/enum errors where a kind rule already reported that field. */
function merge(semantic: KubeFieldError[], generic: readonly KubeFieldError[]): KubeFieldError[] {
  const fields = new Set(semantic.map((e) => e.field));
  return [...generic.filter((e) => !fields.has(e.field)), ...semantic];
}

/** Whether an error is about `status` or below. */
const inStatus = (e: KubeFieldError): boolean =>
  e.field === 'status' || e.field.startsWith('status.') || e.field.startsWith('status[');

/** Validation, conversion and defaulting of objects of the kinds a registry knows. */
export class KubeObjectSchema implements ObjectSchema {
  private readonly randomSuffix: (object: KubeObject) => string;

  constructor(
    private readonly registry: BuiltinKindRegistry,
    options: KubeObjectSchemaOptions = {},
  ) {
    this.randomSuffix = options.randomSuffix ?? hashSuffix;
  }

  convert(object: KubeObject, info: KindInfo): KubeObject {
    const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : '';
    const kind = typeof object.kind === 'string' ? object.kind : info.kind;
    if (
      this.registry.isRemoved(apiVersion, kind) ||
      (apiVersion && this.registry.forObject(apiVersion, kind) !== info)
    )
      throw noKindMatchError(apiVersion, kind);
    return convertObject(object, info.kind, apiVersionOf(info));
  }

  applyDefaults(object: KubeObject, info: KindInfo): void {
    if (this.registry.isCustom(info)) {
      const written = typeof object.apiVersion === 'string' ? object.apiVersion : apiVersionOf(info);
      const schema = this.registry.schemaFor(info, written);
      if (schema) applySchemaDefaults(object, schema.node);
      return;
    }
    applyKindDefaults(object, info.group, info.kind, { suffix: this.randomSuffix(object) });
  }

  validate(object: KubeObject, info: KindInfo, options: ValidateOptions = {}): FieldError[] {
    const strict = (options.fieldValidation ?? 'Strict') === 'Strict';
    const served = apiVersionOf(info);
    const written = typeof object.apiVersion === 'string' ? object.apiVersion : served;
    const own = this.registry.schemaFor(info, written);
    let generic: KubeFieldError[] = [];
    if (own) {
      const found = this.walk(object, info, own, written === served);
      const decode = this.decodeErrors(found, strict);
      if (decode.length) return decode;
      generic = found.invalid;
    }
    const current = written === served ? object : convertObject(object, info.kind, served);
    // Custom objects are validated against the version they were written in only.
    const custom = this.registry.isCustom(info);
    if ((written !== served && !custom) || !own) {
      const schema = this.registry.schemaFor(info, served);
      if (schema) {
        const found = this.walk(current, info, schema, true);
        const decode = own ? [] : this.decodeErrors(found, strict);
        if (decode.length) return decode;
        generic = found.invalid;
      }
    }
    const { rule, maxLength } = this.registry.nameRule(info);
    const semantic = validateObjectMeta(current.metadata, {
      rule,
      maxLength,
      namespaced: info.scope === 'Namespaced',
    });
    if (!custom) semantic.push(...validateKind(current, info.group, info.kind));
    return merge(semantic, generic);
  }

  validateStatus(object: KubeObject, info: KindInfo): FieldError[] {
    const served = apiVersionOf(info);
    const schema = this.registry.isCustom(info) ? undefined : this.registry.schemaFor(info, served);
    if (!schema || (typeof object.apiVersion === 'string' && object.apiVersion !== served)) {
      return this.validate(object, info);
    }
    // Kind rules check spec and metadata, which a status write takes from the stored object.
    const found = this.walk(
      { apiVersion: served, kind: info.kind, status: object.status },
      info,
      schema,
      true,
    );
    const decode = this.decodeErrors(found, true).filter(inStatus);
    return decode.length > 0 ? decode : found.invalid.filter(inStatus);
  }

  /**
   * Removes fields the schema of the object's version does not know, in place, and returns their
   * paths (what `fieldValidation=Ignore` silently drops and `Warn` reports).
   */
  prune(object: KubeObject, info: KindInfo): string[] {
    const written = typeof object.apiVersion === 'string' ? object.apiVersion : apiVersionOf(info);
    const schema =
      this.registry.schemaFor(info, written) ?? this.registry.schemaFor(info, apiVersionOf(info));
    if (!schema) return [];
    const found = checkStructure(
      object,
      schema.node,
      { mode: schema.mode, prune: true, semantic: false },
      info.kind,
    );
    return found.unknown.map((e) => e.field);
  }

  /**
   * The whole way in for a create or update body: find the kind, decode (400 on wrong types, and
   * on unknown fields under `Strict`; pruned otherwise), convert, default, validate (422).
   * Throws `ApiError` worded as the API server; returns the object to store and any warnings.
   */
  admit(input: KubeObject, options: ValidateOptions = {}): Admitted {
    const apiVersion = typeof input.apiVersion === 'string' ? input.apiVersion : '';
    const kind = typeof input.kind === 'string' ? input.kind : '';
    const info = this.registry.isRemoved(apiVersion, kind)
      ? undefined
      : this.registry.forObject(apiVersion, kind);
    if (!info) throw noKindMatchError(apiVersion, kind);
    const mode = options.fieldValidation ?? 'Strict';
    let object = structuredClone(input);
    const first = this.validate(object, info, { fieldValidation: mode });
    const decode = first.filter(isDecodeError);
    if (decode.length) throw toApiError(object, info, decode)!;
    const warnings =
      mode === 'Strict' ? [] : this.prune(object, info).map((f) => `unknown field ${JSON.stringify(f)}`);
    object = this.convert(object, info);
    this.applyDefaults(object, info);
    // Built-in kinds are validated again after defaulting; custom ones only in their own version.
    const errors = this.registry.isCustom(info)
      ? first
      : this.validate(object, info, { fieldValidation: 'Ignore' });
    const error = toApiError(object, info, errors);
    if (error) throw error;
    return { object, info, warnings: mode === 'Warn' ? warnings : [] };
  }

  private walk(
    object: KubeObject,
    info: KindInfo,
    schema: VersionSchema,
    semantic: boolean,
  ): StructureResult {
    return checkStructure(object, schema.node, { mode: schema.mode, prune: false, semantic }, info.kind);
  }

  private decodeErrors(found: StructureResult, strict: boolean): KubeFieldError[] {
    if (found.decodeError) return [found.decodeError];
    return strict ? found.unknown : [];
  }
}

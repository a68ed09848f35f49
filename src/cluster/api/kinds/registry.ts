/**
 * The kinds registry: what `kubectl api-resources` lists, how manifests' `apiVersion`/`kind` and
 * kubectl's resource arguments resolve, and the kinds CRDs add.
 */

import type { NameRule } from '../../../internal/k8s-names.js';
import type { KubeObject } from '../../store/types.js';
import { compileCrdSchema, type OpenApiSchema, type SchemaNode } from '../schema/nodes.js';
import { compiledDefinition, definitionIdFor, objectMetaNode } from '../schema/openapi.js';
import { apiVersionOf, type KindInfo, type KindRegistry, type Scope } from '../types.js';
import { BUILTIN_KINDS, type KindRow, REMOVED_KINDS, VERBS_ALL } from './builtin-kinds.js';

/** A kind's schema for one version, and how to read it. */
export interface VersionSchema {
  readonly node: SchemaNode;
  /** `builtin`: Go decoding semantics; `custom`: CRD validation semantics. */
  readonly mode: 'builtin' | 'custom';
}

interface Entry {
  readonly info: KindInfo;
  readonly names: NameRule;
  readonly maxNameLength: number | undefined;
  /** apiVersions accepted besides the served one. */
  readonly accepts: readonly string[];
  /** Custom kinds: the schema of each served version (`openAPIV3Schema`), compiled on first use. */
  readonly customSchemas?: Map<string, OpenApiSchema | undefined>;
  readonly compiled: Map<string, VersionSchema>;
  readonly custom: boolean;
}

function groupOf(apiVersion: string): [string, string] {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? ['', apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
}

function freeze(row: KindRow): KindInfo {
  return Object.freeze({
    group: row.group,
    version: row.version,
    kind: row.kind,
    plural: row.plural,
    singular: row.singular ?? row.kind.toLowerCase(),
    shortNames: Object.freeze([...(row.shortNames ?? [])]),
    scope: row.scope ?? 'Namespaced',
    categories: Object.freeze([...(row.categories ?? [])]),
    verbs: Object.freeze([...(row.verbs ?? VERBS_ALL)]),
    subresources: Object.freeze([...(row.subresources ?? [])]),
  });
}

const gk = (group: string, kind: string) => `${group}\u0000${kind}`;
const vk = (apiVersion: string, kind: string) => `${apiVersion}\u0000${kind}`;

/**
 * The registry of built-in kinds plus the kinds CRDs register. Lookups are map hits; the
 * resource-name index is rebuilt only when a CRD comes or goes.
 */
export class BuiltinKindRegistry implements KindRegistry {
  private readonly entries = new Map<string, Entry>();
  private readonly byVersionKind = new Map<string, Entry>();
  private nameIndex: Map<string, Entry[]> | undefined;
  private ordered: KindInfo[] | undefined;

  constructor(rows: readonly KindRow[] = BUILTIN_KINDS) {
    for (const row of rows) {
      this.add({
        info: freeze(row),
        names: row.names ?? 'subdomain',
        maxNameLength: row.maxNameLength,
        accepts: row.accepts ?? [],
        compiled: new Map(),
        custom: false,
      });
    }
  }

  all(): readonly KindInfo[] {
    this.ordered ??= [...this.entries.values()].map((e) => e.info);
    return this.ordered;
  }

  forObject(apiVersion: string, kind: string): KindInfo | undefined {
    return this.byVersionKind.get(vk(apiVersion, kind))?.info;
  }

  resolve(resourceArg: string): readonly KindInfo[] {
    const arg = resourceArg.toLowerCase();
    const index = this.index();
    const whole = index.get(arg);
    if (whole) return whole.map((e) => e.info);
    const dot = arg.indexOf('.');
    if (dot < 0) return [];
    const name = arg.slice(0, dot);
    let group = arg.slice(dot + 1);
    let version: string | undefined;
    const versioned = /^(v\d+(?:(?:alpha|beta)\d+)?)(?:\.(.*))?$/.exec(group);
    if (versioned) {
      version = versioned[1];
      group = versioned[2] ?? '';
    }
    const hits = (index.get(name) ?? []).filter(
      (e) =>
        e.info.group === group &&
        (version === undefined ||
          e.info.version === version ||
          e.accepts.includes(apiVersionOf({ group, version }))),
    );
    return hits.map((e) => e.info);
  }

  register(info: KindInfo, schema?: unknown): void {
    const customSchemas = new Map<string, OpenApiSchema | undefined>([
      [info.version, schema as OpenApiSchema],
    ]);
    this.add({
      info: Object.freeze({ ...info }),
      names: 'subdomain',
      maxNameLength: undefined,
      accepts: [],
      customSchemas,
      compiled: new Map(),
      custom: true,
    });
  }

  /**
   * Registers the kind a CustomResourceDefinition (apiextensions.k8s.io/v1) declares: its names,
   * scope, storage version, the other served versions and each version's schema.
   */
  registerCrd(crd: KubeObject): KindInfo {
    const spec = (crd.spec ?? {}) as Record<string, unknown>;
    const names = (spec.names ?? {}) as Record<string, unknown>;
    const group = String(spec.group ?? '');
    const kind = String(names.kind ?? '');
    const versions = (Array.isArray(spec.versions) ? spec.versions : []) as Record<string, unknown>[];
    const served = versions.filter((v) => v.served !== false);
    const storage = versions.find((v) => v.storage === true) ?? served[0];
    if (!group || !kind || !storage)
      throw new Error('CustomResourceDefinition without group, kind or versions');
    const subresources = (storage.subresources ?? {}) as Record<string, unknown>;
    const info: KindInfo = Object.freeze({
      group,
      version: String(storage.name),
      kind,
      plural: String(names.plural ?? `${kind.toLowerCase()}s`),
      singular: String(names.singular ?? kind.toLowerCase()),
      shortNames: Object.freeze((names.shortNames as string[] | undefined) ?? []),
      scope: (spec.scope === 'Cluster' ? 'Cluster' : 'Namespaced') as Scope,
      categories: Object.freeze((names.categories as string[] | undefined) ?? []),
      verbs: VERBS_ALL,
      subresources: Object.freeze(['scale', 'status'].filter((s) => s in subresources)),
    });
    const customSchemas = new Map<string, OpenApiSchema | undefined>();
    for (const v of served) {
      const schema = (v.schema as Record<string, unknown> | undefined)?.openAPIV3Schema as
        | OpenApiSchema
        | undefined;
      customSchemas.set(String(v.name), schema);
    }
    this.add({
      info,
      names: 'subdomain',
      maxNameLength: undefined,
      accepts: served.map((v) => `${group}/${String(v.name)}`).filter((a) => a !== apiVersionOf(info)),
      customSchemas,
      compiled: new Map(),
      custom: true,
    });
    return info;
  }

  unregister(group: string, kind: string): void {
    const e = this.entries.get(gk(group, kind));
    if (!e?.custom) return;
    this.entries.delete(gk(group, kind));
    for (const [key, v] of this.byVersionKind) if (v === e) this.byVersionKind.delete(key);
    this.invalidate();
  }

  /** Kinds in a category (`all` for `kubectl get all`), in discovery order. */
  category(name: string): readonly KindInfo[] {
    return this.all().filter((k) => k.categories.includes(name));
  }

  /** Whether a kind was added by a CRD. */
  isCustom(info: KindInfo): boolean {
    return this.entries.get(gk(info.group, info.kind))?.custom ?? false;
  }

  /** How the kind's `metadata.name` is validated, and its length limit if shorter than the rule's. */
  nameRule(info: KindInfo): { readonly rule: NameRule; readonly maxLength: number | undefined } {
    const e = this.entries.get(gk(info.group, info.kind));
    return { rule: e?.names ?? 'subdomain', maxLength: e?.maxNameLength };
  }

  /** Whether Kubernetes removed this apiVersion/kind without a successor. */
  isRemoved(apiVersion: string, kind: string): boolean {
    return REMOVED_KINDS.some((r) => r.apiVersion === apiVersion && r.kind === kind);
  }

  /**
   * The schema to check an object of `info` written in `apiVersion` (the served one, or an old
   * one bosun converts). Undefined when the version has no schema of its own (validate after
   * conversion) or a custom kind declares none.
   */
  schemaFor(info: KindInfo, apiVersion: string): VersionSchema | undefined {
    const e = this.entries.get(gk(info.group, info.kind));
    if (!e) return undefined;
    const cached = e.compiled.get(apiVersion);
    if (cached) return cached;
    const [group, version] = groupOf(apiVersion);
    let result: VersionSchema | undefined;
    if (e.custom) {
      const s = e.customSchemas?.get(version);
      if (s) {
        const node = compileCrdSchema(s, objectMetaNode());
        // apiVersion, kind and metadata are always known; metadata is a real ObjectMeta.
        node.props ??= new Map();
        node.props.set('apiVersion', { type: 'string', go: 'string' });
        node.props.set('kind', { type: 'string', go: 'string' });
        node.props.set('metadata', objectMetaNode());
        node.struct = info.kind;
        result = { node, mode: 'custom' };
      }
    } else {
      const id = definitionIdFor(group, version, info.kind);
      if (id) result = { node: compiledDefinition(id), mode: 'builtin' };
    }
    if (result) e.compiled.set(apiVersion, result);
    return result;
  }

  private add(e: Entry): void {
    const { group, kind } = e.info;
    const old = this.entries.get(gk(group, kind));
    if (old) for (const [key, v] of this.byVersionKind) if (v === old) this.byVersionKind.delete(key);
    this.entries.set(gk(group, kind), e);
    this.byVersionKind.set(vk(apiVersionOf(e.info), kind), e);
    for (const a of e.accepts) this.byVersionKind.set(vk(a, kind), e);
    this.invalidate();
  }

  private invalidate(): void {
    this.nameIndex = undefined;
    this.ordered = undefined;
  }

  /** Lower-case plural, singular, short name and kind → kinds, built-ins (core first) before CRDs. */
  private index(): Map<string, Entry[]> {
    if (this.nameIndex) return this.nameIndex;
    const index = new Map<string, Entry[]>();
    const put = (name: string, e: Entry) => {
      const list = index.get(name);
      if (!list) index.set(name, [e]);
      else if (!list.includes(e)) list.push(e);
    };
    for (const e of this.entries.values()) {
      const i = e.info;
      for (const n of [i.plural, i.singular, i.kind.toLowerCase(), ...i.shortNames]) put(n.toLowerCase(), e);
    }
    this.nameIndex = index;
    return index;
  }
}

/**
 * A catalog image at one tag, with its variant applied: what `apps.ts`, `commands.ts` and the
 * behaviour builder read. Also the hidden facts the catalog attaches to the behaviours it builds,
 * so peers can recognise each other (the web UI sums the workers' hashes, `consul members` lists
 * the consul pods).
 */

import {
  type AppKind,
  IMAGE_SPECS,
  type ImageSpec,
  type LogSpec,
  OS_SHELL,
  OS_TOOLS,
  type OsFlavour,
  type PortSpec,
  type PullClass,
  type RouteSpec,
} from './catalog-data.js';
import { parseImageReference } from './reference.js';
import type { ContainerContext, ProcessBehaviour } from './types.js';

/** A repository's spec at one tag. */
export interface ResolvedImage {
  /** `nginx:1.13.11`, `dockercoins/worker:v0.2` (the `entry` of catalog images). */
  readonly entry: string;
  readonly name: string;
  readonly tag: string;
  readonly description: string;
  readonly app: AppKind;
  readonly os: OsFlavour;
  readonly sizeMB: number;
  readonly pull: PullClass;
  /** The program's version (`1.29.1`, `v1.34.5`). */
  readonly version: string;
  readonly ports: readonly PortSpec[];
  readonly startupMs: number;
  readonly ignoresSigterm: boolean;
  readonly entrypoint: readonly string[];
  readonly cmd: readonly string[];
  readonly binaries: ReadonlySet<string>;
  readonly anyCommandRuns: boolean;
  /** Every binary on the image's PATH (its base's tools plus its own). */
  readonly tools: ReadonlySet<string>;
  /** What `sh` is; undefined on images without a shell. */
  readonly shell: 'ash' | 'dash' | 'bash' | undefined;
  readonly env: Readonly<Record<string, string>>;
  readonly logs: readonly LogSpec[];
  readonly routes: readonly RouteSpec[];
  readonly settings: Readonly<Record<string, string | number | boolean>>;
  readonly oneShot: Readonly<Record<string, number>>;
}

/** The repository key of a spec: `docker.io/library/nginx`. */
export function repositoryKey(name: string): string {
  const ref = parseImageReference(name);
  return ref === undefined ? name : `${ref.registry}/${ref.repository}`;
}

let specIndex: Map<string, ImageSpec> | undefined;

/** The catalog's repositories by key (`docker.io/library/nginx`). */
export function specsByRepository(): ReadonlyMap<string, ImageSpec> {
  if (specIndex === undefined) {
    specIndex = new Map();
    for (const spec of IMAGE_SPECS) specIndex.set(repositoryKey(spec.name), spec);
  }
  return specIndex;
}

const resolvedCache = new Map<string, ResolvedImage>();

/** The spec of `repository` at `tag`, or undefined when the tag does not exist. */
export function resolveSpec(spec: ImageSpec, tag: string): ResolvedImage | undefined {
  if (!spec.tags.includes(tag)) return undefined;
  const entry = `${spec.name}:${tag}`;
  const cached = resolvedCache.get(entry);
  if (cached) return cached;
  const v = spec.variants?.[tag] ?? {};
  const os = v.os ?? spec.os;
  const versionOf = (): string => {
    if (v.version !== undefined) return v.version;
    if (spec.version !== undefined) {
      // A numeric tag names the version it pins (`nginx:1.13.11`), unless a variant says otherwise.
      if (/^v?\d+\.\d+\.\d+$/.test(tag) && spec.app !== 'shell') return tag;
      return spec.version;
    }
    return tag;
  };
  const tools = new Set<string>([...OS_TOOLS[os], ...(v.tools ?? spec.tools ?? [])]);
  const resolved: ResolvedImage = {
    entry,
    name: spec.name,
    tag,
    description: v.description ?? spec.description,
    app: v.app ?? spec.app,
    os,
    sizeMB: v.sizeMB ?? spec.sizeMB,
    pull: v.pull ?? spec.pull,
    version: versionOf(),
    ports: v.ports ?? spec.ports ?? [],
    startupMs: v.startupMs ?? spec.startupMs ?? 0,
    ignoresSigterm: v.ignoresSigterm ?? spec.ignoresSigterm ?? false,
    entrypoint: v.entrypoint ?? spec.entrypoint ?? [],
    cmd: v.cmd ?? spec.cmd ?? [],
    binaries: new Set(v.binaries ?? spec.binaries ?? []),
    anyCommandRuns: v.anyCommandRuns ?? spec.anyCommandRuns ?? false,
    tools,
    shell: OS_SHELL[os],
    env: v.env ?? spec.env ?? {},
    logs: v.logs ?? spec.logs ?? [],
    routes: v.routes ?? spec.routes ?? [],
    settings: { ...(spec.settings ?? {}), ...(v.settings ?? {}) },
    oneShot: v.oneShot ?? spec.oneShot ?? {},
  };
  resolvedCache.set(entry, resolved);
  return resolved;
}

/** The resolved image of a catalog entry name (`nginx:1.13.11`). */
export function resolveEntry(entry: string): ResolvedImage | undefined {
  const cached = resolvedCache.get(entry);
  if (cached) return cached;
  const ref = parseImageReference(entry);
  if (ref === undefined) return undefined;
  const spec = specsByRepository().get(`${ref.registry}/${ref.repository}`);
  return spec === undefined ? undefined : resolveSpec(spec, ref.tag);
}

/** A DockerCoins worker's work up to a time: what it added to redis. */
export interface WorkCounter {
  /** Hashes counted (`INCRBY hashes`) and coins found (`HSET wallet`) up to `until` (ms). */
  work(until: number): { readonly hashes: number; readonly coins: number };
}

/** What the catalog knows about a behaviour it built. */
export interface BehaviourInfo {
  readonly app: AppKind;
  readonly entry: string;
  readonly version: string;
  /** The worker's counters, bound to the container they ran in. */
  counter?(ctx: ContainerContext, startedAt: number): WorkCounter;
  /** The registry's stored repositories. */
  readonly registry?: true;
}

const INFO = Symbol.for('bosun.images.behaviour-info');

/** Attaches catalog facts to a behaviour. */
export function withInfo<T extends object>(behaviour: T, info: BehaviourInfo): T {
  Object.defineProperty(behaviour, INFO, { value: info, enumerable: false });
  return behaviour;
}

/** The catalog facts of a behaviour, when the catalog built it. */
export function infoOf(behaviour: ProcessBehaviour | undefined): BehaviourInfo | undefined {
  if (behaviour === undefined) return undefined;
  return (behaviour as unknown as Record<symbol, BehaviourInfo | undefined>)[INFO];
}

/**
 * How lists merge, by where they sit in an object: the `x-kubernetes-patch-strategy` /
 * `patch-merge-key` (and list-map keys) of the built-in types, as data. Strategic merge patch and
 * server-side apply both read it; lists not named here are atomic (replaced whole).
 */

/** How one list merges. */
export type ListStrategy =
  /** Items are maps identified by `key`; a patch merges into the item with the same key. */
  | { readonly type: 'merge'; readonly key: string }
  /** A list of scalars treated as a set (union on merge). */
  | { readonly type: 'set' }
  /** Replaced whole. */
  | { readonly type: 'replace' };

/** One rule: a list path (field names, no indices) or path suffix, optionally for some kinds only. */
interface ListRule {
  /** Dotted field names; matches the whole path when `anchored`, else any path ending with it. */
  readonly path: string;
  readonly anchored?: boolean;
  readonly kinds?: readonly string[];
  readonly strategy: ListStrategy;
}

const byKey = (key: string): ListStrategy => ({ type: 'merge', key });

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'];

/** The rules, most specific first. */
export const LIST_RULES: readonly ListRule[] = [
  { path: 'spec.ports', anchored: true, kinds: ['Service'], strategy: byKey('port') },
  ...CONTAINER_LISTS.flatMap((c): ListRule[] => [
    { path: `${c}.ports`, strategy: byKey('containerPort') },
    { path: `${c}.env`, strategy: byKey('name') },
    { path: `${c}.volumeMounts`, strategy: byKey('mountPath') },
    { path: `${c}.volumeDevices`, strategy: byKey('devicePath') },
    { path: `${c}.resizePolicy`, strategy: byKey('resourceName') },
    { path: c, strategy: byKey('name') },
  ]),
  { path: 'volumes', strategy: byKey('name') },
  { path: 'imagePullSecrets', strategy: byKey('name') },
  { path: 'hostAliases', strategy: byKey('ip') },
  { path: 'topologySpreadConstraints', strategy: byKey('topologyKey') },
  { path: 'readinessGates', strategy: byKey('conditionType') },
  { path: 'tolerations', strategy: { type: 'replace' } },
  { path: 'metadata.finalizers', strategy: { type: 'set' } },
  { path: 'metadata.ownerReferences', strategy: byKey('uid') },
  { path: 'status.conditions', strategy: byKey('type') },
  { path: 'status.addresses', anchored: true, kinds: ['Node'], strategy: byKey('type') },
];

/** The strategy of the list at `path` (field names from the object root) in an object of `kind`. */
export function listStrategyFor(kind: string, path: readonly string[]): ListStrategy | undefined {
  for (let r = 0; r < LIST_RULES.length; r++) {
    const rule = LIST_RULES[r]!;
    if (rule.kinds !== undefined && !rule.kinds.includes(kind)) continue;
    // Field names are compared one by one: a map key with dots in it is one name, not several.
    const names = RULE_NAMES[r]!;
    const offset = path.length - names.length;
    if (offset < 0 || (rule.anchored && offset !== 0)) continue;
    if (names.every((name, i) => path[offset + i] === name)) return rule.strategy;
  }
  return undefined;
}

/** The field names of each rule's path. */
const RULE_NAMES = LIST_RULES.map((rule) => rule.path.split('.'));

/** Looks up list strategies for one kind. */
export type ListStrategyLookup = (path: readonly string[]) => ListStrategy | undefined;

/** A remembered answer per path, as a trie of field names (a hit allocates nothing). */
interface Known {
  strategy?: ListStrategy | null;
  readonly next: Map<string, Known>;
}

/** Lookups per kind, each remembering its answers by path (a few dozen list paths per kind). */
const lookups = new Map<string, ListStrategyLookup>();

/** The lookup for objects of `kind`. */
export function listStrategiesOf(kind: string): ListStrategyLookup {
  let lookup = lookups.get(kind);
  if (lookup === undefined) {
    const root: Known = { next: new Map() };
    let size = 0;
    lookup = (path) => {
      let node: Known | undefined = root;
      for (let i = 0; i < path.length && node !== undefined; i++) {
        let next: Known | undefined = node.next.get(path[i]!);
        // Paths come from objects (map keys): bound what one kind may remember.
        if (next === undefined && size < 4096) {
          next = { next: new Map() };
          node.next.set(path[i]!, next);
          size++;
        }
        node = next;
      }
      if (node === undefined) return listStrategyFor(kind, path);
      if (node.strategy === undefined) node.strategy = listStrategyFor(kind, path) ?? null;
      return node.strategy ?? undefined;
    };
    lookups.set(kind, lookup);
  }
  return lookup;
}

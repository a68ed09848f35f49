/**
 * Creates the bootstrap RBAC objects from the tables in `rbac-roles.ts` and `rbac-namespaced.ts`. The aggregated roles
 * (`admin`, `edit`, `view`) carry their `aggregationRule` and, as the cluster-role aggregation
 * controller would fill them, the union of the rules of the roles their selectors match.
 */

import { type BootstrapContext, create, type Json } from './context.js';
import { ROLE_BINDINGS, ROLES } from './rbac-namespaced.js';
import { CLUSTER_ROLE_BINDINGS, CLUSTER_ROLES, type RoleRow } from './rbac-roles.js';
import { AUTOUPDATE_ANNOTATIONS, BOOTSTRAPPING_LABELS } from './topology.js';

const RBAC = 'rbac.authorization.k8s.io/v1';
const AGG = 'rbac.authorization.k8s.io/aggregate-to-';

/** Labels and annotations of a bootstrap object: the API server's own, or none for kubeadm's and add-ons'. */
function stamp(addon: boolean | undefined, labels: Readonly<Record<string, string>> = {}): Json {
  return addon
    ? { ...(Object.keys(labels).length ? { labels: { ...labels } } : {}) }
    : { labels: { ...BOOTSTRAPPING_LABELS, ...labels }, annotations: { ...AUTOUPDATE_ANNOTATIONS } };
}

/** A subject from `Kind:name` (`ServiceAccount:ns/name`). */
export function subject(text: string): Json {
  const colon = text.indexOf(':');
  const kind = text.slice(0, colon);
  const rest = text.slice(colon + 1);
  if (kind === 'ServiceAccount') {
    const [namespace, name] = rest.split('/') as [string, string];
    return { kind, name, namespace };
  }
  return { apiGroup: 'rbac.authorization.k8s.io', kind, name: rest };
}

/** The rules an aggregated role collects: those of every role labelled `aggregate-to-<target>`, transitively. */
export function aggregatedRules(target: string, roles: readonly RoleRow[] = CLUSTER_ROLES): Json[] {
  const out: Json[] = [];
  const seen = new Set<string>();
  for (const row of roles) {
    if (row.labels?.[`${AGG}${target}`] !== 'true') continue;
    const rules = row.aggregateFrom ? row.aggregateFrom.flatMap((t) => aggregatedRules(t, roles)) : row.rules;
    for (const r of rules) {
      const key = JSON.stringify(r);
      if (!seen.has(key)) {
        seen.add(key);
        out.push(structuredClone(r));
      }
    }
  }
  return out;
}

/** The ClusterRole object of a row. */
export function clusterRoleManifest(row: RoleRow): Json {
  return {
    apiVersion: RBAC,
    kind: 'ClusterRole',
    metadata: { name: row.name, ...stamp(row.addon, row.labels) },
    ...(row.aggregateFrom
      ? {
          aggregationRule: {
            clusterRoleSelectors: row.aggregateFrom.map((t) => ({ matchLabels: { [`${AGG}${t}`]: 'true' } })),
          },
          rules: row.aggregateFrom.flatMap((t) => aggregatedRules(t)),
        }
      : { rules: row.rules.map((r) => structuredClone(r)) }),
  };
}

/** Creates every bootstrap ClusterRole, ClusterRoleBinding, Role and RoleBinding. */
export function createRbac(ctx: BootstrapContext): void {
  for (const row of CLUSTER_ROLES) create(ctx, clusterRoleManifest(row), managerOf(row.addon));
  for (const row of CLUSTER_ROLE_BINDINGS) {
    create(
      ctx,
      {
        apiVersion: RBAC,
        kind: 'ClusterRoleBinding',
        metadata: { name: row.name, ...stamp(row.addon, row.labels) },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: row.role },
        ...(row.subjects.length ? { subjects: row.subjects.map(subject) } : {}),
      },
      managerOf(row.addon),
    );
  }
  for (const row of ROLES) {
    create(
      ctx,
      {
        apiVersion: RBAC,
        kind: 'Role',
        metadata: { name: row.name, namespace: row.namespace, ...stamp(row.addon) },
        rules: row.rules.map((r) => structuredClone(r)),
      },
      managerOf(row.addon),
    );
  }
  for (const row of ROLE_BINDINGS) {
    create(
      ctx,
      {
        apiVersion: RBAC,
        kind: 'RoleBinding',
        metadata: { name: row.name, namespace: row.namespace, ...stamp(row.addon) },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: row.role },
        subjects: row.subjects.map(subject),
      },
      managerOf(row.addon),
    );
  }
}

const managerOf = (addon: boolean | undefined): string => (addon ? 'kubeadm' : 'kube-apiserver');

/**
 * The objects of `kubectl create role|clusterrole` (`--verb`, `--resource`, `--resource-name`),
 * `create rolebinding|clusterrolebinding` (`--role`/`--clusterrole`, `--user`, `--group`,
 * `--serviceaccount`) and `create service externalname` (`--external-name`).
 */

import type { KubeClient, KubeObject } from '../../kube/index.js';
import { resolveResource, usageError } from './context.js';

const RBAC = 'rbac.authorization.k8s.io';
const RBAC_V1 = `${RBAC}/v1`;
const VALID_VERBS = [
  '*',
  'get',
  'delete',
  'list',
  'create',
  'update',
  'patch',
  'watch',
  'proxy',
  'deletecollection',
  'use',
  'bind',
  'escalate',
  'impersonate',
];

/** The flags of `create role|clusterrole`. */
export interface RoleSpec {
  /** `--verb` (comma-separated, repeatable). */
  readonly verbs: readonly string[];
  /** `--resource` (`pods`, `deployments.apps`, `pods/log`; comma-separated, repeatable). */
  readonly resources: readonly string[];
  /** `--resource-name` (repeatable). @default [] */
  readonly resourceNames?: readonly string[];
}

const split = (values: readonly string[]): string[] =>
  values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);

/**
 * A Role (or ClusterRole with `cluster`): one rule per API group, resources resolved through
 * discovery as kubectl resolves them.
 */
export async function roleObject(
  client: KubeClient,
  name: string,
  spec: RoleSpec,
  cluster = false,
): Promise<KubeObject> {
  const verbs = split(spec.verbs);
  const resources = split(spec.resources);
  if (verbs.length === 0) throw usageError('at least one verb must be specified');
  if (resources.length === 0) throw usageError('at least one resource must be specified');
  for (const verb of verbs) if (!VALID_VERBS.includes(verb)) throw usageError(`invalid verb: '${verb}'`);
  const byGroup = new Map<string, string[]>();
  for (const resource of resources) {
    const [base = '', sub] = resource.split('/');
    const [kind] = await resolveResource(client, base);
    const plural = sub === undefined ? kind!.plural : `${kind!.plural}/${sub}`;
    const list = byGroup.get(kind!.group) ?? [];
    if (!list.includes(plural)) list.push(plural);
    byGroup.set(kind!.group, list);
  }
  const resourceNames = split(spec.resourceNames ?? []);
  const rules = [...byGroup].map(([group, plurals]) => ({
    apiGroups: [group],
    resources: plurals,
    verbs,
    ...(resourceNames.length === 0 ? {} : { resourceNames }),
  }));
  return { apiVersion: RBAC_V1, kind: cluster ? 'ClusterRole' : 'Role', metadata: { name }, rules };
}

/** The flags of `create rolebinding|clusterrolebinding`. */
export interface BindingSpec {
  /** `--role` (rolebinding only). */
  readonly role?: string;
  /** `--clusterrole`. */
  readonly clusterRole?: string;
  /** `--user` (repeatable). @default [] */
  readonly users?: readonly string[];
  /** `--group` (repeatable). @default [] */
  readonly groups?: readonly string[];
  /** `--serviceaccount NAMESPACE:NAME` (repeatable). @default [] */
  readonly serviceAccounts?: readonly string[];
}

/** A RoleBinding (or ClusterRoleBinding with `cluster`) with kubectl's subjects. */
export function roleBindingObject(name: string, spec: BindingSpec, cluster = false): KubeObject {
  if (cluster) {
    if (!spec.clusterRole) throw usageError('required flag(s) "clusterrole" not set');
  } else if ((spec.role ? 1 : 0) + (spec.clusterRole ? 1 : 0) !== 1) {
    throw usageError('exactly one of clusterrole or role must be specified');
  }
  const subjects = [
    ...(spec.users ?? []).map((u) => ({ apiGroup: RBAC, kind: 'User', name: u })),
    ...(spec.groups ?? []).map((g) => ({ apiGroup: RBAC, kind: 'Group', name: g })),
    ...(spec.serviceAccounts ?? []).map((sa) => {
      const parts = sa.split(':');
      if (parts.length !== 2 || parts[0] === '' || parts[1] === '')
        throw usageError(`serviceaccount must be <namespace>:<name>`);
      return { kind: 'ServiceAccount', name: parts[1]!, namespace: parts[0]! };
    }),
  ];
  const roleRef = spec.role
    ? { apiGroup: RBAC, kind: 'Role', name: spec.role }
    : { apiGroup: RBAC, kind: 'ClusterRole', name: spec.clusterRole! };
  return {
    apiVersion: RBAC_V1,
    kind: cluster ? 'ClusterRoleBinding' : 'RoleBinding',
    metadata: { name },
    roleRef,
    ...(subjects.length === 0 ? {} : { subjects }),
  };
}

/** A Service of type ExternalName pointing at `externalName`. */
export function externalNameServiceObject(name: string, externalName: string | undefined): KubeObject {
  if (!externalName) throw usageError('required flag(s) "external-name" not set');
  const labels = { app: name };
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, labels },
    spec: { externalName, selector: labels, type: 'ExternalName' },
  };
}

/**
 * The bootstrap Roles and RoleBindings of kube-system and kube-public, as data: the API server's
 * (extension-apiserver-authentication-reader, the scheduler's leader lock, the bootstrap signer),
 * kubeadm's and the add-ons'.
 */

import type { Json } from './context.js';
import { rule } from './rbac-roles.js';

/** A namespaced Role row. */
export interface NamespacedRoleRow {
  readonly namespace: string;
  readonly name: string;
  readonly rules: readonly Json[];
  readonly addon?: boolean;
}

/** Roles in kube-system and kube-public. */
export const ROLES: readonly NamespacedRoleRow[] = [
  {
    namespace: 'kube-system',
    name: 'extension-apiserver-authentication-reader',
    rules: [
      {
        apiGroups: [''],
        resources: ['configmaps'],
        resourceNames: ['extension-apiserver-authentication'],
        verbs: ['get', 'list', 'watch'],
      },
    ],
  },
  {
    namespace: 'kube-system',
    name: 'system::leader-locking-kube-scheduler',
    rules: [
      rule(['watch'], '', 'configmaps'),
      { ...rule(['get', 'update'], '', 'configmaps'), resourceNames: ['kube-scheduler'] },
    ],
  },
  {
    namespace: 'kube-public',
    name: 'system:controller:bootstrap-signer',
    rules: [
      rule(['get', 'list', 'watch'], '', 'configmaps'),
      { ...rule(['update'], '', 'configmaps'), resourceNames: ['cluster-info'] },
    ],
  },
  {
    namespace: 'kube-public',
    name: 'kubeadm:bootstrap-signer-clusterinfo',
    addon: true,
    rules: [{ ...rule(['get'], '', 'configmaps'), resourceNames: ['cluster-info'] }],
  },
  {
    namespace: 'kube-system',
    name: 'kubeadm:kubelet-config',
    addon: true,
    rules: [{ ...rule(['get'], '', 'configmaps'), resourceNames: ['kubelet-config'] }],
  },
  {
    namespace: 'kube-system',
    name: 'kubeadm:nodes-kubeadm-config',
    addon: true,
    rules: [{ ...rule(['get'], '', 'configmaps'), resourceNames: ['kubeadm-config'] }],
  },
  {
    namespace: 'kube-system',
    name: 'kube-proxy',
    addon: true,
    rules: [{ ...rule(['get'], '', 'configmaps'), resourceNames: ['kube-proxy'] }],
  },
  {
    namespace: 'kube-system',
    name: 'weave-net',
    addon: true,
    rules: [
      { ...rule(['get', 'update'], '', 'configmaps'), resourceNames: ['weave-net'] },
      rule(['create'], '', 'configmaps'),
    ],
  },
];

/** A RoleBinding row: it binds the Role `role` of its namespace. */
export interface RoleBindingRow {
  readonly namespace: string;
  readonly name: string;
  readonly role: string;
  readonly subjects: readonly string[];
  readonly addon?: boolean;
}

const KUBEADM_TOKEN = 'Group:system:bootstrappers:kubeadm:default-node-token';

/** RoleBindings in kube-system and kube-public. */
export const ROLE_BINDINGS: readonly RoleBindingRow[] = [
  {
    namespace: 'kube-system',
    name: 'system::extension-apiserver-authentication-reader',
    role: 'extension-apiserver-authentication-reader',
    subjects: ['User:system:kube-controller-manager', 'User:system:kube-scheduler'],
  },
  {
    namespace: 'kube-system',
    name: 'system::leader-locking-kube-scheduler',
    role: 'system::leader-locking-kube-scheduler',
    subjects: ['User:system:kube-scheduler', 'ServiceAccount:kube-system/kube-scheduler'],
  },
  {
    namespace: 'kube-public',
    name: 'system:controller:bootstrap-signer',
    role: 'system:controller:bootstrap-signer',
    subjects: ['ServiceAccount:kube-system/bootstrap-signer'],
  },
  ...(
    [
      ['kube-public', 'kubeadm:bootstrap-signer-clusterinfo', ['User:system:anonymous']],
      ['kube-system', 'kubeadm:kubelet-config', ['Group:system:nodes', KUBEADM_TOKEN]],
      ['kube-system', 'kubeadm:nodes-kubeadm-config', [KUBEADM_TOKEN, 'Group:system:nodes']],
      ['kube-system', 'kube-proxy', [KUBEADM_TOKEN]],
      ['kube-system', 'weave-net', ['ServiceAccount:kube-system/weave-net']],
    ] as const
  ).map(
    ([namespace, name, subjects]): RoleBindingRow => ({ namespace, name, role: name, subjects, addon: true }),
  ),
];

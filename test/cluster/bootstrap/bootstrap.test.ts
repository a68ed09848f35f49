/**
 * What a fresh cluster holds: the golden object list, the facts the training relies on, the
 * consistency of owners, selectors and hashes, node counts and determinism.
 */

import { describe, expect, it } from 'vitest';
import { templateHash } from '../../../src/cluster/bootstrap/index.js';
import type { KubeObject } from '../../../src/cluster/store/types.js';
import { everything, listing, meta, testCluster } from './helpers.js';

/** A loose view of JSON for assertions: any property, array or string operation type-checks. */
interface Obj {
  readonly [key: string]: Obj & Obj[] & string;
}
const fresh = testCluster();
const all = everything(fresh);
const api = fresh.api;
const get = (resource: string, namespace: string, name: string): Obj =>
  api.get(resource, namespace, name) as Obj;
const names = (resource: string, namespace?: string): string[] =>
  api.list(resource, namespace === undefined ? {} : { namespace }).items.map((o) => meta(o).name);

describe('a fresh cluster', () => {
  it('holds exactly the expected objects', async () => {
    await expect(listing(fresh)).toMatchFileSnapshot('goldens/objects-3-nodes.txt');
  });

  it('lists every bootstrapped object through the API, stamped and valid', () => {
    expect(all.length).toBeGreaterThan(150);
    for (const entry of all) {
      const listed = api.list(entry.resource, entry.namespace ? { namespace: entry.namespace } : {});
      expect(listed.items.some((o) => meta(o).name === entry.name)).toBe(true);
      expect(meta(entry.object).uid).toMatch(/^[0-9a-f-]{36}$/);
      expect(meta(entry.object).creationTimestamp).toMatch(
        /^2025-06-01T11:5\dZ|^2025-06-01T1[12]:\d\d:\d\dZ$/,
      );
    }
  });

  it('has the training cluster topology', () => {
    expect(names('nodes')).toEqual(['node1', 'node2', 'node3']);
    const node1 = get('nodes', '', 'node1');
    expect(node1.spec.taints).toEqual([
      { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
    ]);
    expect(node1.metadata.labels).toMatchObject({
      'node-role.kubernetes.io/control-plane': '',
      'kubernetes.io/hostname': 'node1',
      'kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
    });
    expect(node1.spec.podCIDR).toBe('10.244.0.0/24');
    expect(node1.status.addresses).toEqual([
      { type: 'InternalIP', address: '10.0.0.11' },
      { type: 'Hostname', address: 'node1' },
    ]);
    expect(node1.status.capacity).toMatchObject({ cpu: '2', pods: '110' });
    expect(node1.status.nodeInfo.kubeletVersion).toMatch(/^v1\.34\./);
    expect(node1.status.conditions.find((c: Obj) => c.type === 'Ready')?.status).toBe('True');
    const node3 = get('nodes', '', 'node3');
    expect(node3.spec.taints).toBeUndefined();
    expect(node3.spec.podCIDR).toBe('10.244.2.0/24');
    expect(names('namespaces')).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system']);
  });

  it('runs the control plane and add-ons in kube-system', () => {
    const pods = api.list('pods', { namespace: 'kube-system' }).items as Obj[];
    const podNames = pods.map((p) => p.metadata.name as string);
    for (const name of [
      'etcd-node1',
      'kube-apiserver-node1',
      'kube-controller-manager-node1',
      'kube-scheduler-node1',
    ])
      expect(podNames).toContain(name);
    expect(
      podNames.filter((n) =>
        /^coredns-[bcdfghjklmnpqrstvwxz2456789]{6,10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/.test(n),
      ),
    ).toHaveLength(2);
    expect(podNames.filter((n) => /^kube-proxy-[a-z0-9]{5}$/.test(n))).toHaveLength(3);
    expect(podNames.filter((n) => /^weave-net-[a-z0-9]{5}$/.test(n))).toHaveLength(3);
    expect(pods).toHaveLength(12);
    for (const pod of pods) {
      expect(pod.status.phase).toBe('Running');
      expect(pod.status.conditions.find((c: Obj) => c.type === 'Ready')?.status).toBe('True');
      const host = (pod.spec.hostNetwork as unknown) === true;
      expect(pod.status.podIP).toMatch(host ? /^10\.0\.0\.1[1-3]$/ : /^10\.244\.0\.\d+$/);
    }
    const etcd = get('pods', 'kube-system', 'etcd-node1');
    expect(etcd.spec.priorityClassName).toBe('system-node-critical');
    expect(etcd.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'v1',
        kind: 'Node',
        name: 'node1',
        uid: meta(get('nodes', '', 'node1')).uid,
        controller: true,
      },
    ]);
    expect(etcd.spec.serviceAccountName).toBeUndefined();
    expect(names('priorityclasses')).toEqual(['system-cluster-critical', 'system-node-critical']);
  });

  it('keeps the seeds tolerations: CoreDNS tolerates the master taint, kube-proxy everything', () => {
    const coredns = get('deployments.apps', 'kube-system', 'coredns');
    expect(coredns.spec.template.spec.tolerations).toContainEqual({
      key: 'node-role.kubernetes.io/master',
      effect: 'NoSchedule',
    });
    const proxy = get('daemonsets.apps', 'kube-system', 'kube-proxy');
    expect(proxy.spec.template.spec.tolerations).toContainEqual({ operator: 'Exists' });
  });

  it('serves the kubernetes and kube-dns Services', () => {
    const kubernetes = get('services', 'default', 'kubernetes');
    expect(kubernetes.spec.clusterIP).toBe('10.96.0.1');
    expect(kubernetes.spec.ports).toEqual([{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }]);
    expect(get('endpoints', 'default', 'kubernetes').subsets[0].addresses).toEqual([{ ip: '10.0.0.11' }]);
    const dns = get('services', 'kube-system', 'kube-dns');
    expect(dns.spec.clusterIP).toBe('10.96.0.10');
    expect(dns.spec.selector).toEqual({ 'k8s-app': 'kube-dns' });
    expect(dns.spec.ports.map((p: Obj) => `${p.port}/${p.protocol}`)).toEqual([
      '53/UDP',
      '53/TCP',
      '9153/TCP',
    ]);
    const endpoints = get('endpoints', 'kube-system', 'kube-dns');
    const coreIPs = (
      api.list('pods', { namespace: 'kube-system', labelSelector: 'k8s-app=kube-dns' }).items as Obj[]
    )
      .map((p) => p.status.podIP)
      .sort();
    expect(endpoints.subsets[0].addresses.map((a: Obj) => a.ip).sort()).toEqual(coreIPs);
  });

  it('gives every ServiceAccount a token Secret the training can extract', () => {
    const accounts = api.list('serviceaccounts').items as Obj[];
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease'])
      expect(accounts.some((a) => a.metadata.namespace === ns && a.metadata.name === 'default')).toBe(true);
    for (const account of accounts) {
      const secretName: string = account.secrets[0].name;
      expect(secretName).toMatch(new RegExp(`^${account.metadata.name}-token-[a-z0-9]{5}$`));
      const secret = get('secrets', account.metadata.namespace, secretName);
      expect(secret.type).toBe('kubernetes.io/service-account-token');
      expect(secret.metadata.annotations['kubernetes.io/service-account.uid']).toBe(account.metadata.uid);
      const token = Buffer.from(secret.data.token, 'base64').toString();
      const [, payload] = token.split('.');
      const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
      expect(claims.sub).toBe(`system:serviceaccount:${account.metadata.namespace}:${account.metadata.name}`);
      expect(Buffer.from(secret.data.namespace, 'base64').toString()).toBe(account.metadata.namespace);
      expect(Buffer.from(secret.data['ca.crt'], 'base64').toString()).toMatch(
        /^-----BEGIN CERTIFICATE-----\n/,
      );
    }
    expect(names('secrets', 'kube-public')).toHaveLength(1);
    expect(names('configmaps', 'kube-public')).toContain('cluster-info');
  });

  it('has a default StorageClass', () => {
    const sc = get('storageclasses.storage.k8s.io', '', 'standard');
    expect(sc.metadata.annotations['storageclass.kubernetes.io/is-default-class']).toBe('true');
    expect(sc).toMatchObject({ volumeBindingMode: 'WaitForFirstConsumer', reclaimPolicy: 'Delete' });
  });

  it('has the bootstrap RBAC policy, with aggregated admin/edit/view', () => {
    const roles = names('clusterroles');
    for (const r of [
      'cluster-admin',
      'admin',
      'edit',
      'view',
      'system:discovery',
      'system:basic-user',
      'system:node',
    ])
      expect(roles).toContain(r);
    const view = get('clusterroles', '', 'view');
    expect(view.aggregationRule.clusterRoleSelectors).toEqual([
      { matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } },
    ]);
    const resources = (role: Obj) => role.rules.flatMap((r: Obj) => r.resources ?? []);
    expect(resources(view)).toContain('pods');
    expect(resources(view)).not.toContain('secrets');
    expect(resources(get('clusterroles', '', 'edit'))).toContain('secrets');
    expect(resources(get('clusterroles', '', 'admin'))).toContain('rolebindings');
    expect(get('clusterrolebindings', '', 'cluster-admin').subjects).toEqual([
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:masters' },
    ]);
    expect(get('clusterrolebindings', '', 'system:discovery').subjects[0].name).toBe('system:authenticated');
  });

  it('keeps owners, selectors and template hashes consistent', () => {
    const byUid = new Map(all.map((e) => [meta(e.object).uid, e.object]));
    for (const e of all) {
      for (const ref of meta(e.object).ownerReferences ?? []) {
        const owner = byUid.get(ref.uid);
        expect(owner, `${e.kind} ${e.name} → ${ref.kind} ${ref.name}`).toBeDefined();
        expect([owner!.kind, meta(owner!).name]).toEqual([ref.kind, ref.name]);
      }
    }
    const deploy = get('deployments.apps', 'kube-system', 'coredns');
    const hash = templateHash(deploy.spec.template);
    const rs = get('replicasets.apps', 'kube-system', `coredns-${hash}`);
    expect(rs.metadata.ownerReferences[0].uid).toBe(deploy.metadata.uid);
    expect(deploy.status).toMatchObject({
      replicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
      updatedReplicas: 2,
    });
    const rsPods = api.list('pods', {
      namespace: 'kube-system',
      labelSelector: `pod-template-hash=${hash}`,
    }).items;
    expect(rsPods.map((p) => meta(p).ownerReferences![0]!.uid)).toEqual([rs.metadata.uid, rs.metadata.uid]);
    for (const name of ['kube-proxy', 'weave-net']) {
      const ds = get('daemonsets.apps', 'kube-system', name);
      const revisionHash = templateHash(ds.spec.template);
      const revision = get('controllerrevisions.apps', 'kube-system', `${name}-${revisionHash}`);
      expect(revision.revision).toBe(1);
      expect(ds.status).toMatchObject({
        desiredNumberScheduled: 3,
        numberReady: 3,
        updatedNumberScheduled: 3,
      });
      const pods = api.list('pods', {
        namespace: 'kube-system',
        labelSelector: `controller-revision-hash=${revisionHash}`,
      }).items as Obj[];
      expect(pods.map((p) => p.spec.nodeName).sort()).toEqual(['node1', 'node2', 'node3']);
    }
  });
});

describe('bootstrap options', () => {
  it('makes N nodes with one kube-proxy and weave pod each', () => {
    const cluster = testCluster({ nodes: 5 });
    expect(cluster.api.list('nodes').items.map((n) => meta(n).name)).toEqual([
      'node1',
      'node2',
      'node3',
      'node4',
      'node5',
    ]);
    for (const selector of ['k8s-app=kube-proxy', 'name=weave-net']) {
      const pods = cluster.api.list('pods', { namespace: 'kube-system', labelSelector: selector })
        .items as Obj[];
      expect(pods.map((p) => p.spec.nodeName).sort()).toEqual(['node1', 'node2', 'node3', 'node4', 'node5']);
    }
    expect((cluster.api.get('nodes', '', 'node5') as Obj).spec.podCIDR).toBe('10.244.4.0/24');
    expect(testCluster({ nodes: 1 }).api.list('pods', { namespace: 'kube-system' }).items).toHaveLength(8);
  });

  it('refuses impossible node counts', () => {
    for (const nodes of [0, -1, 1.5, 1025]) expect(() => testCluster({ nodes })).toThrow(RangeError);
  });

  it('is deterministic: the same seed gives the same cluster, uids and tokens included', () => {
    const strip = (c: ReturnType<typeof testCluster>) => everything(c).map((e) => e.object as KubeObject);
    expect(strip(testCluster())).toEqual(strip(testCluster()));
    const tokens = (c: ReturnType<typeof testCluster>) =>
      (c.api.list('secrets', { namespace: 'default' }).items as Obj[]).map((s) => [
        s.metadata.name,
        s.data.token,
      ]);
    expect(tokens(testCluster({ seed: 8 }))).not.toEqual(tokens(testCluster()));
  });
});

/**
 * kubectl's node verbs: `taint` (parsing, tainted/untainted/modified, the `--overwrite` error),
 * `cordon`/`uncordon`, and `drain` (its refusals of DaemonSet-managed, emptyDir and bare pods,
 * the evictions and the wait, the timeout), with kubectl 1.34's lines.
 */

import { describe, expect, it } from 'vitest';
import {
  CordonAction,
  DrainAction,
  type DrainOptions,
  ErrorList,
  parseTaints,
  TaintAction,
} from '../../../src/action/kubectl/index.js';
import type { KubeClient, KubeObject } from '../../../src/kube/index.js';
import { useEmbeddedCluster } from '../../helpers/embedded-cluster.js';
import { addPod, useStillCluster } from './pod-verb-fakes.js';

const open = useEmbeddedCluster();
const still = useStillCluster();

const taintsOf = async (client: KubeClient, node: string) =>
  ((await client.get('nodes', '', node)).spec as { taints?: unknown[] }).taints;

describe('parseTaints', () => {
  it('reads key=value:Effect, key:Effect and removals key[:Effect]-', () => {
    expect(
      parseTaints(['dedicated=special-user:NoSchedule', 'gpu:NoExecute', 'old:PreferNoSchedule-', 'any-']),
    ).toEqual({
      add: [
        { key: 'dedicated', value: 'special-user', effect: 'NoSchedule' },
        { key: 'gpu', effect: 'NoExecute' },
      ],
      remove: [{ key: 'old', effect: 'PreferNoSchedule' }, { key: 'any' }],
    });
  });

  it.each([
    ['a=b:Sometimes', 'invalid taint effect: Sometimes, unsupported taint effect'],
    ['a=b', 'invalid taint spec: a=b, name part must consist of alphanumeric characters'],
    ['justkey', 'invalid taint spec: justkey'],
    ['a=b=c:NoSchedule', 'invalid taint spec: a=b=c:NoSchedule'],
    ['a:b:c', 'invalid taint spec: a:b:c'],
  ])('refuses %s', (spec, message) => {
    expect(() => parseTaints([spec])).toThrow(message);
  });

  it('refuses the same key and effect twice', () => {
    expect(() => parseTaints(['a=1:NoSchedule', 'a=2:NoSchedule'])).toThrow(
      'duplicated taints with the same key and effect',
    );
  });
});

describe('kubectl taint', () => {
  const taint = (client: KubeClient, args: string[], overwrite = false) =>
    new TaintAction({ client, namespace: 'default', overwrite }).run(args);

  it('adds, overwrites and removes taints with kubectl lines; the node keeps its other taints', async () => {
    const client = open();
    expect(await taint(client, ['nodes', 'node2', 'dedicated=special:NoSchedule'])).toEqual({
      lines: ['node/node2 tainted'],
      errors: [],
    });
    expect(await taintsOf(client, 'node2')).toEqual([
      { key: 'dedicated', value: 'special', effect: 'NoSchedule' },
    ]);
    expect(await taint(client, ['nodes', 'node2', 'gpu:NoExecute'])).toMatchObject({
      lines: ['node/node2 tainted'],
    });
    expect((await taint(client, ['nodes', 'node2', 'dedicated=other:NoSchedule'], true)).lines).toEqual([
      'node/node2 modified',
    ]);
    expect(await taintsOf(client, 'node2')).toEqual([
      { key: 'dedicated', value: 'other', effect: 'NoSchedule' },
      { key: 'gpu', effect: 'NoExecute' },
    ]);
    expect((await taint(client, ['node', 'node2', 'dedicated:NoSchedule-'])).lines).toEqual([
      'node/node2 untainted',
    ]);
    expect((await taint(client, ['nodes', 'node2', 'gpu-'])).lines).toEqual(['node/node2 untainted']);
    expect(await taintsOf(client, 'node2')).toBeUndefined();
  });

  it("lets pods onto the control plane once its taint is removed (the training's node1)", async () => {
    const client = open();
    expect(
      (await taint(client, ['nodes', 'node1', 'node-role.kubernetes.io/control-plane:NoSchedule-'])).lines,
    ).toEqual(['node/node1 untainted']);
    expect(await taintsOf(client, 'node1')).toBeUndefined();
  });

  it('refuses an existing key and effect without --overwrite, and a removal of what is not there', async () => {
    const client = open();
    const existing = await taint(client, [
      'nodes',
      'node1',
      'node-role.kubernetes.io/control-plane:NoSchedule',
    ]);
    expect(existing.lines).toEqual([]);
    expect(existing.errors.map((e) => e.message)).toEqual([
      'node node1 already has node-role.kubernetes.io/control-plane taint(s) with same effect(s) and --overwrite is false',
    ]);
    expect(
      (await taint(client, ['nodes', 'node2', 'nope:NoSchedule-'])).errors.map((e) => e.message),
    ).toEqual(['taint "nope:NoSchedule" not found']);
    const missing = await taint(client, ['nodes', 'node9', 'a:NoSchedule']);
    expect(missing.errors.map((e) => e.message)).toEqual(['nodes "node9" not found']);
  });

  it.each([
    [['nodes', 'node1'], 'at least one taint update is required'],
    [['a:NoSchedule'], 'one or more resources must be specified as <resource> <name>'],
    [['pods', 'web', 'a:NoSchedule'], 'invalid resource type pods, only ["node" "nodes"] are supported'],
    [
      ['nodes', 'a:NoSchedule'],
      "at least one resource name must be specified since 'all' parameter is not set",
    ],
    [
      ['nodes', 'node1', 'a:NoSchedule', 'node2'],
      'all resources must be specified before taint changes: node2',
    ],
    [
      ['nodes', 'node1', 'a:NoSchedule', 'a-'],
      'can not both modify and remove the following taint(s) in the same command: {"a":""}',
    ],
  ])('%j is refused: %s', async (args, message) => {
    const client = open();
    await expect(taint(client, args)).rejects.toThrow(message);
  });

  it('--all taints every node', async () => {
    const client = open();
    const result = await new TaintAction({ client, all: true }).run([
      'nodes',
      'maintenance=true:PreferNoSchedule',
    ]);
    expect(result.lines).toEqual(['node/node1 tainted', 'node/node2 tainted', 'node/node3 tainted']);
  });
});

describe('kubectl cordon / uncordon', () => {
  it('sets and clears spec.unschedulable, saying when it already was', async () => {
    const client = open();
    const action = new CordonAction({ client });
    expect(await action.run(['node2'], true)).toEqual({
      lines: ['node/node2 cordoned'],
      warnings: [],
      errors: [],
    });
    expect((await client.get('nodes', '', 'node2')).spec).toMatchObject({ unschedulable: true });
    expect((await action.run(['node2'], true)).lines).toEqual(['node/node2 already cordoned']);
    expect((await action.run(['node2'], false)).lines).toEqual(['node/node2 uncordoned']);
    expect((await client.get('nodes', '', 'node2')).spec).not.toHaveProperty('unschedulable');
    expect((await action.run(['node2'], false)).lines).toEqual(['node/node2 already uncordoned']);
    expect((await new CordonAction({ client, dryRun: 'client' }).run(['node3'], true)).lines).toEqual([
      'node/node3 cordoned (dry run)',
    ]);
    expect((await client.get('nodes', '', 'node3')).spec).not.toHaveProperty('unschedulable');
    expect((await action.run(['node9'], true)).errors.map((e) => e.message)).toEqual([
      'nodes "node9" not found',
    ]);
  });
});

describe('kubectl drain', () => {
  const replicaSetOwner = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    name: 'web-5c7588df',
    uid: '00000000-0000-0000-0000-000000000001',
    controller: true,
  };

  async function drain(client: KubeClient, node: string, options: Partial<DrainOptions> = {}) {
    const out: string[] = [];
    const err: string[] = [];
    const fatal = await new DrainAction({ client, ...options }).run([node], {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
    });
    return { out, err, fatal };
  }

  it('refuses DaemonSet-managed pods without --ignore-daemonsets (the node stays cordoned)', async () => {
    const { cluster, client } = still();
    const proxy = (
      cluster.api.list('pods', { namespace: 'kube-system', fieldSelector: 'spec.nodeName=node2' })
        .items as KubeObject[]
    ).map((p) => `kube-system/${(p.metadata as { name: string }).name}`);
    expect(proxy).toHaveLength(2);
    const result = await drain(client, 'node2');
    const message = `cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): ${proxy.join(', ')}`;
    expect(result.out).toEqual(['node/node2 cordoned']);
    expect(result.err).toEqual([
      `error: unable to drain node "node2" due to error: ${message}, continuing command...`,
      'There are pending nodes to be drained:',
      ' node2',
    ]);
    expect(result.fatal).toHaveLength(1);
    expect(result.fatal[0]).toBeInstanceOf(ErrorList);
    expect((result.fatal[0] as ErrorList).messages).toEqual([message]);
    expect((await client.get('nodes', '', 'node2')).spec).toMatchObject({ unschedulable: true });
  });

  it('evicts the pods of controllers and waits for them to go; DaemonSet pods are ignored with a warning', async () => {
    const { cluster, client } = still();
    addPod(cluster, { name: 'web-5c7588df-abcde', nodeName: 'node2', ownerReferences: [replicaSetOwner] });
    addPod(cluster, { name: 'web-5c7588df-fghij', nodeName: 'node2', ownerReferences: [replicaSetOwner] });
    addPod(cluster, { name: 'elsewhere', nodeName: 'node3', ownerReferences: [replicaSetOwner] });
    const result = await drain(client, 'node2', { ignoreDaemonSets: true, gracePeriodSeconds: 0 });
    expect(result.out).toEqual([
      'node/node2 cordoned',
      'evicting pod default/web-5c7588df-abcde',
      'evicting pod default/web-5c7588df-fghij',
      'pod/web-5c7588df-abcde evicted',
      'pod/web-5c7588df-fghij evicted',
      'node/node2 drained',
    ]);
    expect(result.err).toHaveLength(1);
    expect(result.err[0]).toMatch(
      /^Warning: ignoring DaemonSet-managed Pods: kube-system\/kube-proxy-\w+, kube-system\/weave-net-\w+$/,
    );
    expect(result.fatal).toEqual([]);
    await expect(client.get('pods', 'default', 'web-5c7588df-abcde')).rejects.toThrow('not found');
    expect(await client.get('pods', 'default', 'elsewhere')).toBeTruthy();
  });

  it('refuses bare pods and emptyDir pods until --force and --delete-emptydir-data', async () => {
    const { cluster, client } = still();
    addPod(cluster, { name: 'hr-app', nodeName: 'node3' });
    addPod(cluster, {
      name: 'cache-1',
      nodeName: 'node3',
      ownerReferences: [replicaSetOwner],
      volumes: [{ name: 'tmp', emptyDir: {} }],
    });
    const refused = await drain(client, 'node3', { ignoreDaemonSets: true });
    expect((refused.fatal[0] as ErrorList).messages).toEqual([
      'cannot delete Pods with local storage (use --delete-emptydir-data to override): default/cache-1',
      'cannot delete Pods declare no controller (use --force to override): default/hr-app',
    ]);
    expect(refused.err[0]).toBe(
      'error: unable to drain node "node3" due to error: [cannot delete Pods with local storage (use --delete-emptydir-data to override): default/cache-1, cannot delete Pods declare no controller (use --force to override): default/hr-app], continuing command...',
    );
    const forced = await drain(client, 'node3', {
      ignoreDaemonSets: true,
      force: true,
      deleteEmptyDirData: true,
      gracePeriodSeconds: 0,
    });
    expect(forced.out).toEqual([
      'node/node3 already cordoned',
      'evicting pod default/cache-1',
      'evicting pod default/hr-app',
      'pod/cache-1 evicted',
      'pod/hr-app evicted',
      'node/node3 drained',
    ]);
    expect(forced.err[0]).toMatch(
      /^Warning: deleting Pods that declare no controller: default\/hr-app; ignoring/,
    );
  });

  it('waits in cluster time and gives up at --timeout, listing the pods still there', async () => {
    let slept = 0;
    const { cluster, client } = still({
      sleep: async (ms) => {
        slept += ms;
      },
    });
    addPod(cluster, {
      name: 'stuck',
      nodeName: 'node2',
      ownerReferences: [replicaSetOwner],
      finalizers: ['example.com/hold'],
    });
    const result = await drain(client, 'node2', { ignoreDaemonSets: true, timeoutMs: 5000 });
    expect(slept).toBe(5000);
    const reason =
      'error when waiting for pod "stuck" in namespace "default" to terminate: global timeout reached: 5s';
    expect(result.out).toEqual(['node/node2 cordoned', 'evicting pod default/stuck']);
    expect(result.err.slice(1)).toEqual([
      `There are pending pods in node "node2" when an error occurred: ${reason}`,
      'pod/stuck',
      `error: unable to drain node "node2" due to error: ${reason}, continuing command...`,
      'There are pending nodes to be drained:',
      ' node2',
    ]);
  });

  it('--dry-run=client evicts nothing', async () => {
    const { cluster, client } = still();
    addPod(cluster, { name: 'web-1', nodeName: 'node2', ownerReferences: [replicaSetOwner] });
    const result = await drain(client, 'node2', { ignoreDaemonSets: true, dryRun: 'client' });
    expect(result.out).toEqual([
      'node/node2 cordoned (dry run)',
      'evicting pod default/web-1 (dry run)',
      'node/node2 drained (dry run)',
    ]);
    expect((await client.get('nodes', '', 'node2')).spec).not.toHaveProperty('unschedulable');
    expect(await client.get('pods', 'default', 'web-1')).toBeTruthy();
  });
});

/**
 * The training's Prometheus install, end to end through the CLI on a fresh `$BOSUN_HOME` with the
 * bundled `stable` repository: `bosun install stable/prometheus --set server.service.type=NodePort
 * --set server.persistentVolume.enabled=false` (no release name, so a generated one), then a
 * default install with persistent volumes in its own namespace, and the inspection commands.
 */

import { describe, expect, it } from 'vitest';
import { cliSession } from '../helpers/cli-session.js';

// biome-ignore lint/suspicious/noExplicitAny: the tests read JSON output freely
type J = any;

const session = () => cliSession();

/** Every pod Running with every container ready. */
function expectAllReady(pods: J): void {
  expect(pods.items.length).toBeGreaterThan(0);
  for (const p of pods.items) {
    expect(p.status.phase, p.metadata.name).toBe('Running');
    const ready = p.status.conditions.find((c: J) => c.type === 'Ready');
    expect(ready?.status, p.metadata.name).toBe('True');
  }
}

describe('stable/prometheus', () => {
  it('installs with the training flags: every pod ready, node-exporter on each schedulable node', async () => {
    const s = session();
    const r = await s.bosun(
      'install',
      'stable/prometheus',
      '--set',
      'server.service.type=NodePort',
      '--set',
      'server.persistentVolume.enabled=false',
    );
    expect(r.code, r.err).toBe(0);
    const name = /^NAME: (\S+)$/m.exec(r.out)?.[1];
    expect(name).toBeDefined();
    expect(r.out).toMatch(/^STATUS: deployed$/m);
    expect(r.out).toContain('bosun kubectl get svc --namespace default | grep prometheus-server');

    const pods = await s.json('pods');
    expectAllReady(pods);
    const components = new Set(pods.items.map((p: J) => p.metadata.labels.component));
    expect([...components].sort()).toEqual([
      'alertmanager',
      'kube-state-metrics',
      'node-exporter',
      'pushgateway',
      'server',
    ]);

    const nodes = await s.json('nodes');
    const schedulable = nodes.items
      .filter(
        (n: J) => !n.spec.unschedulable && !(n.spec.taints ?? []).some((t: J) => t.effect === 'NoSchedule'),
      )
      .map((n: J) => n.metadata.name)
      .sort();
    expect(schedulable.length).toBeGreaterThan(0);
    const exporters = pods.items.filter((p: J) => p.metadata.labels.component === 'node-exporter');
    expect(exporters.map((p: J) => p.spec.nodeName).sort()).toEqual(schedulable);

    const svc = await s.bosun('kubectl', 'get', 'svc');
    const line = svc.out.split('\n').find((l) => l.includes('prometheus-server'));
    expect(line).toMatch(
      new RegExp(`^${name}-prometheus-server\\s+NodePort\\s+\\S+\\s+<none>\\s+80:3\\d{4}/TCP`),
    );
    expect((await s.json('pvc')).items).toHaveLength(1);

    const list = await s.bosun('list');
    expect(list.out).toMatch(
      new RegExp(`^${name}\\s+default\\s+1\\s+.+\\sdeployed\\s+prometheus-9\\.1\\.0\\s+2\\.12\\.0`, 'm'),
    );
  });

  it('installs with its defaults in another namespace: the claims bind and every pod runs', async () => {
    const s = session();
    const r = await s.bosun('install', 'prom', 'stable/prometheus', '-n', 'mon', '--create-namespace');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('bosun kubectl port-forward --namespace mon svc/prom-prometheus-server 9090:80');
    expectAllReady(await s.json('pods', '-n', 'mon'));
    const claims = (await s.json('pvc', '-n', 'mon')).items;
    expect(claims.map((c: J) => [c.metadata.name, c.status.phase]).sort()).toEqual([
      ['prom-prometheus-alertmanager', 'Bound'],
      ['prom-prometheus-server', 'Bound'],
    ]);
    const server = (await s.json('svc', 'prom-prometheus-server', '-n', 'mon')).spec;
    expect(server.type).toBe('ClusterIP');
  });

  it('is found by search and shown by inspect and show values', async () => {
    const s = session();
    const search = await s.bosun('search', 'prometheus');
    expect(search).toMatchObject({ code: 0, err: '' });
    expect(search.out).toMatch(/^stable\/prometheus\s*\t9\.1\.0\s*\t2\.12\.0\s*\t/m);

    const values = await s.bosun('show', 'values', 'stable/prometheus');
    expect(values).toMatchObject({ code: 0, err: '' });
    expect(values.out).toMatch(/^server:$/m);
    expect(values.out).toContain('scrape_interval: 1m');

    const inspect = await s.bosun('inspect', 'stable/prometheus');
    expect(inspect).toMatchObject({ code: 0, err: '' });
    expect(inspect.out).toMatch(/^name: prometheus$/m);
    expect(inspect.out).toContain(values.out.trim().split('\n')[0]);
  });
});

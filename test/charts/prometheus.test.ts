/**
 * The bundled `prometheus` chart, rendered offline: it lints, renders the 2019 stable/prometheus
 * layout (objects named `<release>-prometheus-<component>`), and follows the flags the training
 * passes (`server.service.type=NodePort`, `server.persistentVolume.enabled=false`) and
 * `alertmanager.enabled=false`.
 */

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { parseYamlStream } from '../../src/internal/yaml.js';
import { tempDir } from '../helpers/chart-builder.js';

const CHART = path.resolve(import.meta.dirname, '../../charts/prometheus');

// biome-ignore lint/suspicious/noExplicitAny: the tests read rendered manifests freely
type J = any;

async function bosun(...args: string[]) {
  const io = memoryIO({ env: { BOSUN_HOME: tempDir('bosun-home-') }, cwd: tempDir('bosun-cwd-') });
  const code = await run(args, io);
  return { code, out: io.out(), err: io.err() };
}

/** `bosun template p CHART ...flags`, parsed into its objects. */
async function render(...flags: string[]): Promise<J[]> {
  const r = await bosun('template', 'p', CHART, ...flags);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return parseYamlStream(r.out, 'template output').filter((d): d is J => d !== null && d !== undefined);
}

const find = (docs: J[], kind: string, name: string): J | undefined =>
  docs.find((d) => d.kind === kind && d.metadata.name === name);
const names = (docs: J[], kind: string): string[] =>
  docs
    .filter((d) => d.kind === kind)
    .map((d) => d.metadata.name)
    .sort();

describe('charts/prometheus', () => {
  it('passes bosun lint', async () => {
    const r = await bosun('lint', CHART);
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toContain('1 chart(s) linted, 0 chart(s) failed');
  });

  it('renders the five components with their 2019 names, labels and images by default', async () => {
    const docs = await render();
    expect(names(docs, 'Deployment')).toEqual([
      'p-prometheus-alertmanager',
      'p-prometheus-kube-state-metrics',
      'p-prometheus-pushgateway',
      'p-prometheus-server',
    ]);
    expect(names(docs, 'DaemonSet')).toEqual(['p-prometheus-node-exporter']);
    expect(names(docs, 'Service')).toEqual([
      'p-prometheus-alertmanager',
      'p-prometheus-kube-state-metrics',
      'p-prometheus-node-exporter',
      'p-prometheus-pushgateway',
      'p-prometheus-server',
    ]);
    expect(names(docs, 'ServiceAccount')).toHaveLength(5);
    expect(names(docs, 'ConfigMap')).toEqual(['p-prometheus-alertmanager', 'p-prometheus-server']);
    expect(names(docs, 'ClusterRole')).toEqual(['p-prometheus-kube-state-metrics', 'p-prometheus-server']);
    expect(names(docs, 'ClusterRoleBinding')).toEqual(names(docs, 'ClusterRole'));

    const pvcs = docs.filter((d) => d.kind === 'PersistentVolumeClaim');
    expect(pvcs.map((d) => [d.metadata.name, d.spec.resources.requests.storage]).sort()).toEqual([
      ['p-prometheus-alertmanager', '2Gi'],
      ['p-prometheus-server', '8Gi'],
    ]);

    const service = find(docs, 'Service', 'p-prometheus-server');
    expect(service.spec.type).toBe('ClusterIP');
    expect(service.spec.ports).toEqual([{ name: 'http', port: 80, protocol: 'TCP', targetPort: 9090 }]);
    expect(service.spec.selector).toEqual({ app: 'prometheus', component: 'server', release: 'p' });
    expect(service.metadata.labels).toMatchObject({
      app: 'prometheus',
      component: 'server',
      release: 'p',
      'app.kubernetes.io/name': 'prometheus',
      'app.kubernetes.io/instance': 'p',
    });

    const server = find(docs, 'Deployment', 'p-prometheus-server').spec.template.spec;
    expect(server.containers.map((c: J) => c.image)).toEqual([
      'jimmidyson/configmap-reload:v0.2.2',
      'prom/prometheus:v2.12.0',
    ]);
    expect(server.serviceAccountName).toBe('p-prometheus-server');
    expect(server.volumes).toContainEqual({
      name: 'storage-volume',
      persistentVolumeClaim: { claimName: 'p-prometheus-server' },
    });
    expect(server.containers[1].volumeMounts).toContainEqual({ name: 'storage-volume', mountPath: '/data' });

    const config = find(docs, 'ConfigMap', 'p-prometheus-server').data['prometheus.yml'];
    const parsed = parseYamlStream(config, 'prometheus.yml')[0] as J;
    expect(parsed.global.scrape_interval).toBe('1m');
    expect(parsed.scrape_configs.map((j: J) => j.job_name)).toEqual(
      expect.arrayContaining([
        'prometheus',
        'kubernetes-apiservers',
        'kubernetes-nodes',
        'kubernetes-service-endpoints',
        'kubernetes-pods',
      ]),
    );
    expect(parsed.alerting.alertmanagers[0].static_configs[0].targets).toEqual([
      'p-prometheus-alertmanager:80',
    ]);

    const exporter = find(docs, 'DaemonSet', 'p-prometheus-node-exporter').spec.template.spec;
    expect(exporter).toMatchObject({ hostNetwork: true, hostPID: true });
    expect(exporter.tolerations).toBeUndefined();
    expect(exporter.containers[0]).toMatchObject({
      image: 'prom/node-exporter:v0.18.0',
      ports: [{ containerPort: 9100, hostPort: 9100 }],
    });

    const ksm = find(docs, 'Service', 'p-prometheus-kube-state-metrics');
    expect(ksm.spec.clusterIP).toBe('None');
    expect(ksm.metadata.annotations).toEqual({ 'prometheus.io/scrape': 'true' });
    expect(ksm.spec.ports[0]).toMatchObject({ port: 80, targetPort: 8080 });
    expect(find(docs, 'Service', 'p-prometheus-alertmanager').spec.ports[0]).toMatchObject({
      port: 80,
      targetPort: 9093,
    });
    expect(find(docs, 'Service', 'p-prometheus-pushgateway').spec.ports[0].port).toBe(9091);
  });

  it('follows the training flags: a NodePort server Service and an emptyDir instead of its claim', async () => {
    const docs = await render(
      '--set',
      'server.service.type=NodePort',
      '--set',
      'server.persistentVolume.enabled=false',
    );
    expect(find(docs, 'Service', 'p-prometheus-server').spec.type).toBe('NodePort');
    expect(find(docs, 'Service', 'p-prometheus-server').spec.ports[0].nodePort).toBeUndefined();
    expect(find(docs, 'PersistentVolumeClaim', 'p-prometheus-server')).toBeUndefined();
    expect(names(docs, 'PersistentVolumeClaim')).toEqual(['p-prometheus-alertmanager']);
    const server = find(docs, 'Deployment', 'p-prometheus-server').spec.template.spec;
    expect(server.volumes).toContainEqual({ name: 'storage-volume', emptyDir: {} });

    const fixed = await render(
      '--set',
      'server.service.type=NodePort',
      '--set',
      'server.service.nodePort=30090',
    );
    expect(find(fixed, 'Service', 'p-prometheus-server').spec.ports[0].nodePort).toBe(30090);
  });

  it('drops every alertmanager object with alertmanager.enabled=false', async () => {
    const docs = await render('--set', 'alertmanager.enabled=false');
    const alertmanager = docs.filter((d) => d.metadata.name === 'p-prometheus-alertmanager');
    expect(alertmanager).toEqual([]);
    expect(docs.some((d) => d.metadata.labels?.component === 'alertmanager')).toBe(false);
    const config = find(docs, 'ConfigMap', 'p-prometheus-server').data['prometheus.yml'];
    expect(config).not.toContain('alerting:');
    expect(find(docs, 'Deployment', 'p-prometheus-server')).toBeDefined();
  });

  it('names objects after the release alone when it contains "prometheus", as in 2019', async () => {
    const r = await bosun('template', 'prometheus', CHART);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^ {2}name: prometheus-server$/m);
  });

  it('refuses a service type outside ClusterIP, NodePort and LoadBalancer', async () => {
    const r = await bosun('template', 'p', CHART, '--set', 'server.service.type=Nodeport');
    expect(r.code).not.toBe(0);
    expect(r.err).toContain("at '/server/service/type': value must be one of");
  });
});

/**
 * The Prometheus chart's images (image-catalog §8.5): the server, the exporters, Alertmanager,
 * Pushgateway and the config reloaders, with the builders their look-alike entries share.
 */

import { PATH_ENV } from './env.js';
import type { ImageSpec } from './spec-types.js';

const NODE_METRICS =
  '# HELP node_load1 1m load average.\n# TYPE node_load1 gauge\nnode_load1 0.21\n# HELP node_cpu_seconds_total Seconds the cpus spent in each mode.\n# TYPE node_cpu_seconds_total counter\nnode_cpu_seconds_total{cpu="0",mode="idle"} 123456.78\n';
const KSM_METRICS =
  '# HELP kube_pod_info Information about pod.\n# TYPE kube_pod_info gauge\n# HELP kube_pod_labels Kubernetes labels converted to Prometheus labels.\n# TYPE kube_pod_labels gauge\n';

/** The Prometheus chart's images. */
export const PROMETHEUS_IMAGES: readonly ImageSpec[] = [
  prometheusServer('prom/prometheus', ['v2.12.0', 'v2.13.1', 'v2.45.0', 'v2.53.0', 'latest'], 'v2.12.0'),
  prometheusServer('quay.io/prometheus/prometheus', ['v3.14.0', 'v3.5.0', 'v2.53.0', 'latest'], 'v3.14.0'),
  exporter(
    'prom/node-exporter',
    'Prometheus node exporter on port 9100 (/metrics)',
    ['v0.18.0', 'v0.18.1', 'v1.8.2', 'latest'],
    9100,
    'node_exporter',
    'v0.18.0',
    NODE_METRICS,
  ),
  exporter(
    'quay.io/prometheus/node-exporter',
    'Prometheus node exporter on port 9100 (/metrics)',
    ['v1.12.1', 'v1.9.1', 'v1.8.2', 'latest'],
    9100,
    'node_exporter',
    'v1.12.1',
    NODE_METRICS,
  ),
  exporter(
    'quay.io/coreos/kube-state-metrics',
    'kube-state-metrics on 8080 (/metrics) and 8081',
    ['v1.6.0', 'v1.9.8'],
    8080,
    'kube-state-metrics',
    'v1.6.0',
    KSM_METRICS,
    [8081],
  ),
  exporter(
    'registry.k8s.io/kube-state-metrics/kube-state-metrics',
    'kube-state-metrics on 8080 (/metrics) and 8081',
    ['v2.20.0', 'v2.16.0', 'v2.13.0'],
    8080,
    'kube-state-metrics',
    'v2.20.0',
    KSM_METRICS,
    [8081],
  ),
  exporter(
    'prom/alertmanager',
    'Prometheus Alertmanager on port 9093',
    ['v0.18.0', 'v0.27.0', 'latest'],
    9093,
    'alertmanager',
    'v0.18.0',
    "# HELP alertmanager_build_info A metric with a constant '1' value.\nalertmanager_build_info 1\n",
  ),
  exporter(
    'quay.io/prometheus/alertmanager',
    'Prometheus Alertmanager on port 9093',
    ['v0.34.0', 'v0.28.1', 'latest'],
    9093,
    'alertmanager',
    'v0.34.0',
    "# HELP alertmanager_build_info A metric with a constant '1' value.\nalertmanager_build_info 1\n",
  ),
  exporter(
    'prom/pushgateway',
    'Prometheus Pushgateway on port 9091',
    ['v0.8.0', 'v1.9.0', 'latest'],
    9091,
    'pushgateway',
    'v0.8.0',
    "# HELP pushgateway_build_info A metric with a constant '1' value.\npushgateway_build_info 1\n",
  ),
  exporter(
    'quay.io/prometheus/pushgateway',
    'Prometheus Pushgateway on port 9091',
    ['v1.11.3', 'v1.9.0', 'latest'],
    9091,
    'pushgateway',
    'v1.11.3',
    "# HELP pushgateway_build_info A metric with a constant '1' value.\npushgateway_build_info 1\n",
  ),
  {
    name: 'jimmidyson/configmap-reload',
    description: 'Watches a ConfigMap volume and POSTs a reload URL on change',
    app: 'server',
    os: 'scratch',
    sizeMB: 4,
    pull: 'tiny',
    tags: ['v0.2.2', 'v0.3.0', 'v0.5.0'],
    version: 'v0.2.2',
    ports: [],
    startupMs: 100,
    entrypoint: ['/configmap-reload'],
    binaries: ['configmap-reload'],
    anyCommandRuns: true,
    logs: ['{golog} Watching directory: "/etc/config"'],
  },
  {
    name: 'quay.io/prometheus-operator/prometheus-config-reloader',
    description: 'Watches the Prometheus configuration and reloads the server on change (8080 metrics)',
    app: 'server',
    os: 'distroless',
    sizeMB: 15,
    pull: 'medium',
    tags: ['v0.93.1', 'v0.85.0', 'v0.75.0'],
    version: 'v0.93.1',
    ports: [{ port: 8080 }],
    startupMs: 300,
    entrypoint: ['/bin/prometheus-config-reloader'],
    binaries: ['prometheus-config-reloader'],
    anyCommandRuns: true,
    logs: [
      'level=info ts={iso} caller=main.go:153 msg="Starting prometheus-config-reloader" version="(version={version}, branch=, revision=)"',
      'level=info ts={iso} caller=main.go:238 msg="Starting web server for metrics" listen=:8080',
    ],
    routes: [
      { path: '/healthz', body: 'OK' },
      {
        path: '/metrics',
        body: '# HELP reloader_reloads_total Total number of reload requests.\nreloader_reloads_total 0\n',
      },
    ],
  },
];

function prometheusServer(name: string, tags: readonly string[], version: string): ImageSpec {
  const v = version.replace(/^v/, '');
  return {
    name,
    description: 'Prometheus server on port 9090 (/graph, /metrics, /api/v1/query)',
    app: 'server',
    os: 'busybox',
    sizeMB: 110,
    pull: 'medium',
    tags,
    version,
    ports: [{ port: 9090 }],
    startupMs: 3000,
    entrypoint: ['/bin/prometheus'],
    cmd: ['--config.file=/etc/prometheus/prometheus.yml', '--storage.tsdb.path=/prometheus'],
    binaries: ['prometheus', 'promtool'],
    anyCommandRuns: true,
    env: PATH_ENV,
    logs: [
      `level=info ts={iso} caller=main.go:296 msg="no time or size retention was set so using the default time retention" duration=15d`,
      `level=info ts={iso} caller=main.go:332 msg="Starting Prometheus" version="(version=${v}, branch=HEAD, revision=)"`,
      `level=info ts={iso} caller=web.go:450 component=web msg="Start listening for connections" address=0.0.0.0:9090`,
      [2500, 'level=info ts={iso} caller=main.go:720 msg="TSDB started"'],
      [3000, 'level=info ts={iso} caller=main.go:674 msg="Server is ready to receive web requests."'],
    ],
    routes: [
      {
        path: '/',
        status: 302,
        headers: { Location: '/graph' },
        contentType: 'text/html; charset=utf-8',
        body: '<a href="/graph">Found</a>.\n\n',
      },
      {
        path: '/graph',
        contentType: 'text/html; charset=utf-8',
        body: '<!DOCTYPE html><html lang="en"><head><title>Prometheus Time Series Collection and Processing Server</title></head><body><div id="root"></div></body></html>',
      },
      { path: '/-/healthy', body: 'Prometheus Server is Healthy.\n' },
      { path: '/-/ready', body: 'Prometheus Server is Ready.\n' },
      { path: '/-/reload', method: 'POST', body: '' },
      {
        path: '/metrics',
        body: `# HELP prometheus_build_info A metric with a constant '1' value labeled by version, revision, branch, goversion from which prometheus was built, and the goos and goarch for the build.\n# TYPE prometheus_build_info gauge\nprometheus_build_info{branch="HEAD",goarch="amd64",goos="linux",goversion="go1.24.6",revision="",tags="netgo,builtinassets",version="${v}"} 1\n`,
      },
      {
        path: '/api/v1/query*',
        contentType: 'application/json',
        body: '{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up","instance":"localhost:9090","job":"prometheus"},"value":[{epoch},"1"]}]}}',
      },
      {
        path: '/api/v1/status/buildinfo',
        contentType: 'application/json',
        body: `{"status":"success","data":{"version":"${v}","revision":"","branch":"HEAD","buildUser":"","buildDate":"","goVersion":"go1.24.6"}}`,
      },
    ],
  };
}

function exporter(
  name: string,
  description: string,
  tags: readonly string[],
  port: number,
  binary: string,
  version: string,
  metrics: string,
  extraPorts: readonly number[] = [],
): ImageSpec {
  return {
    name,
    description,
    app: 'server',
    os: 'busybox',
    sizeMB: 15,
    pull: 'medium',
    tags,
    version,
    ports: [{ port }, ...extraPorts.map((p) => ({ port: p }))],
    startupMs: 500,
    entrypoint: [`/bin/${binary}`],
    binaries: [binary],
    anyCommandRuns: true,
    env: PATH_ENV,
    logs: [
      `level=info ts={iso} caller=${binary}.go:100 msg="Starting ${binary}" version="(version=${version.replace(/^v/, '')}, branch=HEAD, revision=)"`,
      `level=info ts={iso} caller=${binary}.go:200 msg="Listening on" address=:${port}`,
    ],
    routes: [
      { path: '/metrics', body: metrics },
      { path: '/healthz', body: 'OK' },
      { path: '/-/healthy', body: 'OK' },
      { path: '/-/ready', body: 'OK' },
      {
        path: '/',
        contentType: 'text/html; charset=utf-8',
        body: `<html>\n<head><title>${binary}</title></head>\n<body>\n<h1>${binary}</h1>\n<p><a href="/metrics">Metrics</a></p>\n</body>\n</html>\n`,
      },
    ],
  };
}

import { describe, expect, it } from 'vitest';
import { IMAGE_SPECS } from '../../../src/cluster/images/catalog-data.js';

/**
 * The catalog's entries come from one module per image family; their order is observable (image
 * listings follow it, and a short name shared by several repositories, `nginx` and `bitnami/nginx`,
 * resolves to the first), so it is pinned here in full.
 */
const ORDER = [
  // base images
  'alpine',
  'busybox',
  'centos',
  'ubuntu',
  'debian',
  'python',
  // demo web servers
  'nginx',
  'jpetazzo/httpenv',
  'jpetazzo/color',
  'jpetazzo/webcolor',
  'errm/cheese',
  'gzynda/sleepy-server',
  'jstubbs/hello-flask',
  'elasticsearch',
  'kibana',
  // DockerCoins
  'dockercoins/rng',
  'dockercoins/hasher',
  'dockercoins/worker',
  'dockercoins/webui',
  // data stores
  'redis',
  'postgres',
  'mysql',
  'mongo',
  'consul',
  'hashicorp/consul',
  // infrastructure
  'registry',
  'traefik',
  'haproxy',
  'jpetazzo/hamba',
  'fluent/fluentd-kubernetes-daemonset',
  // Prometheus chart
  'prom/prometheus',
  'quay.io/prometheus/prometheus',
  'prom/node-exporter',
  'quay.io/prometheus/node-exporter',
  'quay.io/coreos/kube-state-metrics',
  'registry.k8s.io/kube-state-metrics/kube-state-metrics',
  'prom/alertmanager',
  'quay.io/prometheus/alertmanager',
  'prom/pushgateway',
  'quay.io/prometheus/pushgateway',
  'jimmidyson/configmap-reload',
  'quay.io/prometheus-operator/prometheus-config-reloader',
  // Helm v2 and Portworx
  'gcr.io/kubernetes-helm/tiller',
  'portworx/oci-monitor',
  'openstorage/stork',
  'gcr.io/google_containers/kube-scheduler-amd64',
  'portworx/px-lighthouse',
  'portworx/lh-config-sync',
  // the cluster's own images
  'registry.k8s.io/etcd',
  'registry.k8s.io/kube-apiserver',
  'registry.k8s.io/kube-controller-manager',
  'registry.k8s.io/kube-scheduler',
  'registry.k8s.io/kube-proxy',
  'registry.k8s.io/coredns/coredns',
  'registry.k8s.io/pause',
  'weaveworks/weave-kube',
  'weaveworks/weave-npc',
  'k8s.gcr.io/etcd',
  'k8s.gcr.io/coredns',
  // charts the project bundles or tests with
  'grafana/grafana',
  'bitnami/nginx',
  'bitnami/redis',
  'bitnami/postgresql',
  'registry.k8s.io/ingress-nginx/controller',
  'registry.k8s.io/ingress-nginx/kube-webhook-certgen',
];

describe('catalog data', () => {
  it('lists every repository once, in the catalog order', () => {
    expect(IMAGE_SPECS.map((s) => s.name)).toEqual(ORDER);
    expect(new Set(ORDER).size).toBe(ORDER.length);
  });
});

/**
 * The image catalog as data: every image the training runs (and the system images the cluster
 * bootstraps with), which tags exist, how big they are, how they start, what they listen on, what
 * they log, how they answer HTTP, and which tools their filesystem has. Behaviour is picked by a
 * small set of kinds (`shell`, `nginx`, `worker`, `server`, …) that `apps.ts` implements; the rest
 * is plain data here, so adding an image is adding an entry.
 *
 * Sources: the training's documents, and the real images (Dockerfiles, sources, well-known
 * output) where the training says nothing. Tags not listed do not exist: pulling them fails as
 * the registry would (`dockercoins/worker:v0.3`, `nginx:1.3.12`, untagged `dockercoins/*`,
 * `elasticsearch` and `kibana`, which publish no `latest`).
 *
 * The entries live in `catalog-data/`, one module per image family; the types and the per-base
 * tables live there too and are re-exported here, so this stays the catalog's one entry point.
 */

import { BASE_IMAGES } from './catalog-data/base-images.js';
import { CHART_IMAGES } from './catalog-data/charts.js';
import { CLUSTER_SYSTEM_IMAGES } from './catalog-data/cluster-system.js';
import { DATA_STORE_IMAGES } from './catalog-data/data-stores.js';
import { DEMO_SERVER_IMAGES } from './catalog-data/demo-servers.js';
import { DOCKERCOINS_IMAGES } from './catalog-data/dockercoins.js';
import { HELM_PORTWORX_IMAGES } from './catalog-data/helm-portworx.js';
import { INFRASTRUCTURE_IMAGES } from './catalog-data/infrastructure.js';
import { PROMETHEUS_IMAGES } from './catalog-data/prometheus.js';
import type { ImageSpec } from './catalog-data/spec-types.js';

export { OS_NAME, OS_SHELL, OS_TOOLS } from './catalog-data/os.js';
export type {
  AppKind,
  ImageSpec,
  ImageVariant,
  LogSpec,
  OsFlavour,
  PortSpec,
  PullClass,
  RouteSpec,
} from './catalog-data/spec-types.js';

/**
 * Every repository of the catalog. The order is the catalog's own: listings follow it and a short
 * name matching several repositories is resolved in it, so families are concatenated, not sorted.
 */
export const IMAGE_SPECS: readonly ImageSpec[] = [
  ...BASE_IMAGES,
  ...DEMO_SERVER_IMAGES,
  ...DOCKERCOINS_IMAGES,
  ...DATA_STORE_IMAGES,
  ...INFRASTRUCTURE_IMAGES,
  ...PROMETHEUS_IMAGES,
  ...HELM_PORTWORX_IMAGES,
  ...CLUSTER_SYSTEM_IMAGES,
  ...CHART_IMAGES,
];

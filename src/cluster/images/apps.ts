/**
 * The programs images run, by kind: what each listens on, when it answers, what it logs and how
 * it answers HTTP. Most system and exporter images are the data-driven `server` kind (ports,
 * fixed routes, start-up lines from the catalog); the training's demo images have their own
 * kinds, because their answers depend on the pod (`RNG running on <pod>`, httpenv's environment,
 * the color page), on the request (hasher's SHA-256) or on the cluster (the worker's loop, the
 * web UI's counters, the registry's catalogue).
 *
 * Each family of programs lives in an `apps-*.ts` module of its own (web servers, DockerCoins,
 * data stores, infrastructure, the Elastic stack) on top of `apps-base.ts`; this module picks
 * the program for an image.
 */

import { type AppStart, server } from './apps-base.js';
import { consul, mongo, mysql, postgres, redis } from './apps-datastores.js';
import { hasher, rng, webui, worker } from './apps-dockercoins.js';
import { elasticsearch, kibana } from './apps-elastic.js';
import { apiserver, haproxy, registry, traefik } from './apps-infra.js';
import { color, flask, httpenv, nginx, sleepy } from './apps-web.js';
import type { AppProcess } from './timeline.js';

export type { AppStart, StoredImage } from './apps-base.js';
export { nowOf, vantageOf } from './apps-base.js';

/** Starts a program of kind `image.app` (not `shell`, which the command interpreter runs). */
export function startApp(start: AppStart): AppProcess {
  return ((): AppProcess => {
    switch (start.image.app) {
      case 'nginx':
        return nginx(start);
      case 'httpenv':
        return httpenv(start);
      case 'color':
        return color(start);
      case 'sleepy':
        return sleepy(start);
      case 'flask':
        return flask(start);
      case 'elasticsearch':
        return elasticsearch(start);
      case 'kibana':
        return kibana(start);
      case 'rng':
        return rng(start);
      case 'hasher':
        return hasher(start);
      case 'worker':
        return worker(start);
      case 'webui':
        return webui(start);
      case 'redis':
        return redis(start);
      case 'postgres':
        return postgres(start);
      case 'mysql':
        return mysql(start);
      case 'mongo':
        return mongo(start);
      case 'consul':
        return consul(start);
      case 'registry':
        return registry(start);
      case 'traefik':
        return traefik(start);
      case 'haproxy':
        return haproxy(start);
      case 'apiserver':
        return apiserver(start);
      default:
        return server(start);
    }
  })();
}

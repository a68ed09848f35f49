/**
 * DockerCoins (image-catalog §5), the training's sample app: rng, hasher, worker and webui.
 */

import { PATH_ENV } from './env.js';
import type { ImageSpec } from './spec-types.js';

const DOCKERCOINS_SOURCE = 'jpetazzo/container.training dockercoins';

/** The DockerCoins images. */
export const DOCKERCOINS_IMAGES: readonly ImageSpec[] = [
  {
    name: 'dockercoins/rng',
    description: 'DockerCoins rng: random bytes on port 80 (GET /<n>), one request at a time',
    app: 'rng',
    os: 'alpine',
    sizeMB: 30,
    pull: 'tiny',
    tags: ['v0.1', 'v0.2'],
    ports: [{ port: 80 }],
    startupMs: 1000,
    ignoresSigterm: true,
    cmd: ['python', 'rng.py'],
    binaries: ['python', 'python3', 'rng.py', 'flask'],
    tools: ['python', 'python3', 'pip'],
    env: { ...PATH_ENV, FLASK_APP: 'rng', FLASK_RUN_HOST: '::', FLASK_RUN_PORT: '80' },
  },
  {
    name: 'dockercoins/hasher',
    description: 'DockerCoins hasher: SHA-256 of POSTed data on port 80 (Ruby, Sinatra on thin)',
    app: 'hasher',
    os: 'alpine',
    sizeMB: 25,
    pull: 'medium',
    tags: ['v0.1', 'v0.2'],
    ports: [{ port: 80 }],
    startupMs: 1000,
    cmd: ['ruby', 'hasher.rb'],
    binaries: ['ruby', 'hasher.rb'],
    tools: ['ruby', 'curl'],
    env: PATH_ENV,
  },
  {
    name: 'dockercoins/worker',
    description: `DockerCoins worker: loops on rng, hasher and redis, logs "N units of work done" (${DOCKERCOINS_SOURCE})`,
    app: 'worker',
    os: 'alpine',
    sizeMB: 30,
    pull: 'tiny',
    tags: ['v0.1', 'v0.2'],
    startupMs: 0,
    ignoresSigterm: true,
    cmd: ['python', 'worker.py'],
    binaries: ['python', 'python3', 'worker.py'],
    tools: ['python', 'python3', 'pip'],
    env: PATH_ENV,
    settings: { sleepMs: 100 },
    variants: { 'v0.2': { settings: { sleepMs: 1000 } } },
  },
  {
    name: 'dockercoins/webui',
    description: 'DockerCoins web UI on port 80: /index.html graph, /json counters from redis',
    app: 'webui',
    os: 'debian',
    sizeMB: 90,
    pull: 'medium',
    tags: ['v0.1', 'v0.2'],
    ports: [{ port: 80 }],
    startupMs: 1000,
    ignoresSigterm: true,
    cmd: ['node', 'webui.js'],
    binaries: ['node', 'webui.js'],
    tools: ['node', 'npm'],
    env: { ...PATH_ENV, NODE_VERSION: '4.9.1' },
  },
];

/**
 * A child process of the concurrency test: waits for a common start moment, opens the cluster
 * home given as argument, prints what it found as one JSON line and exits.
 */

import { openCluster } from '../../../src/cluster/cluster.js';
import { digest, WALL } from './helpers.js';

const [home, startAt] = process.argv.slice(2) as [string, string];
while (Date.now() < Number(startAt)) {
  // Spin until the shared start moment, so the processes race for the fresh home.
}
const cluster = openCluster({ home, wallClock: () => WALL, seed: 7 });
const result = {
  bootstrapped: cluster.bootstrapped,
  revision: cluster.store.currentRevision(),
  digest: digest(cluster),
};
cluster.close();
process.stdout.write(`${JSON.stringify(result)}\n`);

/**
 * Every built-in controller, in the order the runtime offers them work: the scheduler and the
 * kubelet first (they turn pods into running containers), then the workload controllers, then
 * the ones that follow pods (endpoints, volumes) and the housekeeping ones.
 */

import { cronJobController } from '../controllers/cronjob.js';
import { daemonSetController } from '../controllers/daemonset.js';
import { deploymentController } from '../controllers/deployment.js';
import { endpointsController } from '../controllers/endpoints.js';
import { endpointSliceController } from '../controllers/endpointslice.js';
import { hpaController } from '../controllers/hpa.js';
import { jobController } from '../controllers/job.js';
import { replicaSetController, replicationControllerController } from '../controllers/replicaset.js';
import { rootCaPublisherController } from '../controllers/root-ca.js';
import { serviceAccountController } from '../controllers/serviceaccount.js';
import { statefulSetController } from '../controllers/statefulset.js';
import { taintEvictionController } from '../controllers/taint-eviction.js';
import { ttlAfterFinishedController } from '../controllers/ttl-after-finished.js';
import { kubeletController } from '../kubelet/index.js';
import { schedulerController } from '../scheduler/index.js';
import { persistentVolumeController } from '../volumes/index.js';
import type { ControllerFactory } from './types.js';

/** The factories of every built-in controller. */
export function builtinControllers(): readonly ControllerFactory[] {
  return [
    schedulerController,
    kubeletController,
    replicaSetController,
    replicationControllerController,
    deploymentController,
    statefulSetController,
    daemonSetController,
    jobController,
    cronJobController,
    ttlAfterFinishedController,
    hpaController,
    endpointsController,
    endpointSliceController,
    serviceAccountController,
    rootCaPublisherController,
    taintEvictionController,
    persistentVolumeController,
  ];
}

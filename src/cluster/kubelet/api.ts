/**
 * What the kubelet serves besides running pods: container logs (`GET pods/NAME/log`) and
 * `exec` (`pods/NAME/exec`), answered from the image catalog for the container as it runs now
 * (or, with `previous`, as it last ran). Errors are `ApiError`s worded as the API server words
 * them (`container "worker" in pod "worker-…" is waiting to start: trying and failing to pull image`).
 */

import { badRequest } from '../api/machinery/api-errors.js';
import type { ClusterApi } from '../api/machinery/cluster-api.js';
import type { ExecResult } from '../images/types.js';
import type { ObjectStore } from '../store/types.js';

/** What `GET pods/NAME/log` takes (kubectl logs flags). */
export interface PodLogOptions {
  readonly container?: string;
  readonly previous?: boolean;
  readonly tailLines?: number;
  readonly timestamps?: boolean;
  readonly sinceSeconds?: number;
  readonly limitBytes?: number;
}

/** What `exec` takes. */
export interface PodExecOptions {
  readonly container?: string;
  readonly stdin?: string;
  readonly tty?: boolean;
}

/** The kubelet's served endpoints. */
export interface KubeletServices {
  /** A container's log as text (lines end with `\n`). */
  logs(namespace: string, pod: string, options: PodLogOptions): string;
  /** Runs a command in a container. */
  exec(namespace: string, pod: string, argv: readonly string[], options: PodExecOptions): ExecResult;
}

/** What the services read. */
export interface KubeletServicesHost {
  readonly api: ClusterApi;
  readonly store: ObjectStore;
  now(): Date;
}

/** Builds the kubelet's services for a cluster. */
export function createKubeletServices(_host: KubeletServicesHost): KubeletServices {
  return {
    logs() {
      throw badRequest('container logs are not available yet');
    },
    exec() {
      throw badRequest('exec is not available yet');
    },
  };
}

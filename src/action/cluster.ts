/**
 * `bosun cluster init|status|reset`: the embedded cluster's life cycle.
 */

import { InvalidArgumentError } from '../internal/errors.js';
import {
  type ClusterStatus,
  embeddedClusterStatus,
  initEmbeddedCluster,
  resetEmbeddedCluster,
} from '../kube/embedded.js';

/** Most nodes `cluster init` makes. */
export const MAX_NODES = 1024;

/** Options of `ClusterAction`. */
export interface ClusterActionOptions {
  /** `$BOSUN_HOME`. */
  readonly home: string;
  /** The wall clock the cluster clock follows. */
  readonly wallClock?: () => Date;
}

/** Creates, inspects and removes the embedded cluster. */
export class ClusterAction {
  constructor(private readonly options: ClusterActionOptions) {}

  /** Creates the cluster with `nodes` nodes (node1 is the control plane). @default 3 */
  init(nodes = 3): ClusterStatus {
    if (!Number.isInteger(nodes) || nodes < 1 || nodes > MAX_NODES) {
      throw new InvalidArgumentError(`--nodes: must be a whole number from 1 to ${MAX_NODES}, got ${nodes}`);
    }
    return initEmbeddedCluster(this.options.home, { nodes, ...this.clock() });
  }

  /** The cluster's status (bootstrapping it on first use). */
  status(): ClusterStatus {
    return embeddedClusterStatus(this.options.home, this.clock());
  }

  /** Removes the cluster's database; returns the files removed. */
  reset(): string[] {
    return resetEmbeddedCluster(this.options.home);
  }

  private clock(): { wallClock?: () => Date } {
    return this.options.wallClock ? { wallClock: this.options.wallClock } : {};
  }
}

/**
 * `bosun cluster init|status|reset`: the embedded cluster's life cycle; `cluster advance`: its
 * clock; `cluster image push|list`: its simulated registry.
 */

import { InvalidArgumentError } from '../internal/errors.js';
import {
  advanceEmbeddedCluster,
  type CatalogListing,
  type ClockAdvance,
  type ClusterStatus,
  embeddedClusterStatus,
  initEmbeddedCluster,
  listEmbeddedImages,
  type PushedImage,
  pushEmbeddedImage,
  resetEmbeddedCluster,
} from '../kube/embedded.js';
import { formatGoDuration, parseGoDuration } from './kubectl/durations.js';

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

  /**
   * Lets `duration` (a Go duration: `30s`, `5m`, `1h30m`) of cluster time pass: what is due in
   * that span happens (back-off retries, deadlines, schedules), then the cluster settles.
   */
  advance(duration: string): ClockAdvance & { readonly duration: string } {
    const ms = parseGoDuration(duration.trim());
    if (ms === undefined)
      throw new InvalidArgumentError(
        `invalid duration ${JSON.stringify(duration)}: use a Go duration such as 30s, 5m or 1h30m`,
      );
    if (ms < 0) throw new InvalidArgumentError(`cannot move the cluster clock back (${duration})`);
    return { ...advanceEmbeddedCluster(this.options.home, ms, this.clock()), duration: formatGoDuration(ms) };
  }

  /** Pushes `ref` to the cluster's simulated registry, tagged from `from` when given. */
  pushImage(ref: string, from?: string): PushedImage {
    return pushEmbeddedImage(this.options.home, ref, from, this.clock());
  }

  /** The images the cluster's pods can run: the catalog's, then those pushed. */
  images(): { readonly catalog: readonly CatalogListing[]; readonly pushed: readonly PushedImage[] } {
    return listEmbeddedImages(this.options.home);
  }

  private clock(): { wallClock?: () => Date } {
    return this.options.wallClock ? { wallClock: this.options.wallClock } : {};
  }
}

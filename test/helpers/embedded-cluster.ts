/**
 * A fresh in-memory embedded cluster per test, closed after it, on a fixed wall clock.
 */

import { afterEach } from 'vitest';
import { type EmbeddedCluster, type KubeClient, openEmbeddedCluster } from '../../src/kube/index.js';

/** Registers the clean-up and returns a function that opens a new cluster and gives its client. */
export function useEmbeddedCluster(now = '2025-03-01T12:00:00Z'): () => KubeClient {
  let open: EmbeddedCluster | undefined;
  afterEach(() => {
    open?.close();
    open = undefined;
  });
  return () => {
    open = openEmbeddedCluster(undefined, { wallClock: () => new Date(now) });
    return open.client;
  };
}

/**
 * What the kubelet runs with when nothing else is given: the cluster's image catalog (with the
 * images pushed to its simulated registries, kept in meta) and the cluster's network view.
 */

import { createImageCatalog } from '../images/catalog.js';
import type { ImageCatalog, NetworkView } from '../images/types.js';
import { createNetworkView, type NetworkHost } from '../network/view.js';

/** The cluster's image catalog. */
export function defaultCatalog(meta: { get(name: string): unknown }): ImageCatalog {
  return createImageCatalog(meta);
}

/** The cluster's network view. */
export function defaultNetwork(host: NetworkHost): NetworkView {
  return createNetworkView(host);
}

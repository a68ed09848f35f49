/**
 * The kubectl commands that report on the client and the cluster rather than objects:
 * `api-resources` (kubectl's columns NAME SHORTNAMES APIVERSION NAMESPACED KIND) and `version`.
 */

import { apiVersionOf, type KubeClient, qualifiedResource, type ServerVersion } from '../../kube/index.js';
import { KUBECTL_VERSION } from '../../kube/printing.js';

/** Options of {@link apiResources}. */
export interface ApiResourcesOptions {
  /** `--namespaced=true|false`: only (non-)namespaced resources. */
  readonly namespaced?: boolean;
  /** `--api-group`: only this group (`''` for core). */
  readonly apiGroup?: string;
}

/** The rows of `kubectl api-resources` (header first), or the names for `-o name`. */
export async function apiResources(
  client: KubeClient,
  options: ApiResourcesOptions = {},
): Promise<{ rows: string[][]; names: string[] }> {
  const kinds = (await client.kinds()).filter(
    (k) =>
      (options.namespaced === undefined || k.namespaced === options.namespaced) &&
      (options.apiGroup === undefined || k.group === options.apiGroup),
  );
  return {
    rows: [
      ['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND'],
      ...kinds.map((k) => [k.plural, k.shortNames.join(','), apiVersionOf(k), String(k.namespaced), k.kind]),
    ],
    names: kinds.map(qualifiedResource),
  };
}

/** What `kubectl version` reports. */
export interface VersionInfo {
  readonly clientVersion: string;
  /** Absent with `--client`. */
  readonly serverVersion?: ServerVersion;
}

/** `kubectl version [--client]`. */
export async function versionInfo(client: KubeClient | undefined): Promise<VersionInfo> {
  return {
    clientVersion: KUBECTL_VERSION,
    ...(client === undefined ? {} : { serverVersion: await client.version() }),
  };
}

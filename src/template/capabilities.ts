/**
 * `.Capabilities`: the Kubernetes version and API versions templates may test.
 */

import semver from 'semver';
import { InvalidArgumentError } from '../internal/errors.js';

/** The Kubernetes version assumed when no cluster is asked (Helm 4.1.4 assumes its client-go minor). */
export const DEFAULT_KUBE_VERSION = 'v1.35.0';

/** Group/versions every cluster serves (what `helm template` assumes offline). */
export const DEFAULT_API_VERSIONS: readonly string[] = [
  'v1',
  'admissionregistration.k8s.io/v1',
  'apiextensions.k8s.io/v1',
  'apiregistration.k8s.io/v1',
  'apps/v1',
  'authentication.k8s.io/v1',
  'authorization.k8s.io/v1',
  'autoscaling/v1',
  'autoscaling/v2',
  'batch/v1',
  'certificates.k8s.io/v1',
  'coordination.k8s.io/v1',
  'discovery.k8s.io/v1',
  'events.k8s.io/v1',
  'flowcontrol.apiserver.k8s.io/v1',
  'networking.k8s.io/v1',
  'node.k8s.io/v1',
  'policy/v1',
  'rbac.authorization.k8s.io/v1',
  'resource.k8s.io/v1',
  'scheduling.k8s.io/v1',
  'storage.k8s.io/v1',
];

/** `.Capabilities.KubeVersion`. */
export interface KubeVersion {
  readonly Version: string;
  readonly GitVersion: string;
  readonly Major: string;
  readonly Minor: string;
}

/** `.Capabilities` as templates see it (plain data; `APIVersions.Has` is a function). */
export interface Capabilities {
  readonly KubeVersion: KubeVersion;
  readonly APIVersions: readonly string[];
  readonly HelmVersion: Readonly<Record<string, string>>;
}

/** Parses `--kube-version` (`1.30`, `v1.30.2`); errors name the flag. */
export function parseKubeVersion(input: string): KubeVersion {
  const v = semver.coerce(input, { includePrerelease: true });
  if (!v || !/^v?\d+(\.\d+){0,2}([-+].*)?$/.test(input.trim())) {
    throw new InvalidArgumentError(`--kube-version: invalid Kubernetes version "${input}"`);
  }
  const version = `v${v.major}.${v.minor}.${v.patch}`;
  return { Version: version, GitVersion: version, Major: String(v.major), Minor: String(v.minor) };
}

/** Builds `.Capabilities` from a version and extra API versions (`--api-versions`). */
export function makeCapabilities(
  kubeVersion: string = DEFAULT_KUBE_VERSION,
  extraApiVersions: readonly string[] = [],
  bosunVersion = '',
): Capabilities {
  return {
    KubeVersion: parseKubeVersion(kubeVersion),
    APIVersions: [...new Set([...DEFAULT_API_VERSIONS, ...extraApiVersions])],
    HelmVersion: { version: bosunVersion },
  };
}

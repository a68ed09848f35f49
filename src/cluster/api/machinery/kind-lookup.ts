/**
 * Finds kinds for the API: by store resource key (`deployments.apps`), by what a caller names
 * (a `KindInfo`, a resource key or anything `KindRegistry.resolve` understands), by a manifest's
 * apiVersion and kind, and by an ownerReference.
 */

import { type KindInfo, type KindRegistry, resourceKeyOf } from '../types.js';
import { resourceNotFound, statusError } from './api-errors.js';

/** What the API methods accept as a resource: a kind or a name of one. */
export type ResourceRef = KindInfo | string;

/** Kind lookups over a registry (which CRDs may change at any time, so nothing is cached). */
export class KindLookup {
  constructor(private readonly registry: KindRegistry) {}

  /** The kind stored under a resource key. */
  byResource(resourceKey: string): KindInfo | undefined {
    return this.registry.all().find((k) => resourceKeyOf(k) === resourceKey);
  }

  /** The kind a caller names; 404 `the server could not find the requested resource` when none. */
  resolve(resource: ResourceRef): KindInfo {
    if (typeof resource !== 'string') return resource;
    const found = this.byResource(resource) ?? this.registry.resolve(resource)[0];
    if (found === undefined) throw resourceNotFound();
    return found;
  }

  /** The kind of a manifest; 404 `no matches for kind "X" in version "v"` when not served. */
  forObject(apiVersion: unknown, kind: unknown): KindInfo {
    const info =
      typeof apiVersion === 'string' && typeof kind === 'string'
        ? this.registry.forObject(apiVersion, kind)
        : undefined;
    if (info === undefined) {
      throw statusError(
        404,
        'NotFound',
        `no matches for kind ${JSON.stringify(String(kind ?? ''))} in version ${JSON.stringify(String(apiVersion ?? ''))}`,
        {},
      );
    }
    return info;
  }

  /** The kind an ownerReference names, if served. */
  forOwnerRef(apiVersion: unknown, kind: unknown): KindInfo | undefined {
    return typeof apiVersion === 'string' && typeof kind === 'string'
      ? this.registry.forObject(apiVersion, kind)
      : undefined;
  }

  /** Every namespaced kind. */
  namespaced(): KindInfo[] {
    return this.registry.all().filter((k) => k.scope === 'Namespaced');
  }

  /** Every resource key. */
  resourceKeys(): string[] {
    return this.registry.all().map(resourceKeyOf);
  }

  /** The kind of Namespace objects. */
  namespaceKind(): KindInfo {
    return this.forObject('v1', 'Namespace');
  }
}

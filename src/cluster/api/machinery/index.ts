/**
 * The API machinery of the simulated cluster: `ClusterApi`, the in-process API server, and the
 * pieces it is built from that other parts of the cluster (kubectl, controllers) share.
 *
 * - Object rules (§2.1): uid, timestamps, resourceVersion, generation, generated names,
 *   optimistic concurrency, immutable fields, status and scale subresources.
 * - Deletion (§2.16, §2.17): finalizers, graceful deletion, owner-reference garbage collection
 *   (Background, Foreground, Orphan) and namespace deletion, cascading inside the delete call.
 * - Selectors (§2.2): label selectors (query string and object form) and field selectors.
 * - Patches (§3.6): JSON merge, JSON patch, strategic merge (list keys as data) and
 *   server-side apply with managed fields (§2.18).
 * - Service allocation (§2.10): ClusterIPs, NodePorts and LoadBalancer IPs in store meta.
 * - Events: an event recorder for controllers and the kubelet.
 *
 * Randomness comes from a seeded generator whose state lives in the store, and time from the
 * injected clock, so a scenario replays identically.
 */

export {
  isQualifiedName as qualifiedNameErrors,
  isValidLabelValue as labelValueErrors,
} from '../../../internal/k8s-names.js';
export {
  type AdmissionPlugin,
  type AdmissionRequest,
  BUILTIN_ADMISSION,
  namespaceLifecycle,
} from './admission.js';
export {
  alreadyExists,
  badRequest,
  conflict,
  forbidden,
  notFound,
  OPTIMISTIC_LOCK_MESSAGE,
  qualifiedKind,
  qualifiedResource,
} from './api-errors.js';
export {
  ClusterApi,
  type ClusterApiOptions,
  type CreateOptions,
  type DeleteCollectionOptions,
  type DeleteOptions,
  type GetOptions,
  type PatchOptions,
  type UpdateOptions,
  type WatchOptions,
  type WriteCallOptions,
} from './cluster-api.js';
export type { PropagationPolicy } from './deletion.js';
export { EventRecorder, type EventRecorderOptions, type EventType } from './events.js';
export {
  checkFieldSelector,
  type FieldSelector,
  type FieldTerm,
  fieldSelectorToString,
  matchesFields,
  parseFieldSelector,
} from './field-selector.js';
export { aggregateFieldErrors, formatFieldError, invalid } from './invalid-error.js';
export { applyJsonPatch, decodeJsonPatch, JsonPatchError, type JsonPatchOperation } from './json-patch.js';
export { KindLookup, type ResourceRef } from './kind-lookup.js';
export {
  EVERYTHING,
  type LabelSelector,
  labelEqualityTerms,
  labelSelectorFromMap,
  labelSelectorFromObject,
  labelSelectorToString,
  matchesLabels,
  NOTHING,
  parseLabelSelector,
  type Requirement,
  type SelectorOperator,
  selectsEverything,
} from './label-selector.js';
export type { ListQuery, ObjectList } from './list-query.js';
export { applyMergePatch } from './merge-patch.js';
export { rfc3339, stampRevision } from './object-stamps.js';
export type { PatchType } from './patch-document.js';
export { LIST_RULES, type ListStrategy, listStrategyFor } from './patch-strategies.js';
export { drawRandom, NAME_SUFFIX_ALPHABET, SeededRandom } from './seeded-random.js';
export { SELECTABLE_FIELDS } from './selectable-fields.js';
export { SERVICE_ALLOCATION_META, type ServiceNetworkOptions } from './service-allocation.js';
export { applyStrategicMergePatch, StrategicPatchError } from './strategic-merge-patch.js';
export type { ApiWatchEvent, WatchHandle } from './watch.js';

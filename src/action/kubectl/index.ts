/**
 * kubectl's verbs as actions (L4): each takes a `KubeClient` and the command's namespace and
 * returns data (objects, result lines, errors); the CLI prints. One module per verb group.
 */

export { ApplyAction, type ApplyOptions, LAST_APPLIED, withLastApplied } from './apply.js';
export * from './config.js';
export * from './context.js';
export { CreateAction, type CreateActionOptions } from './create.js';
export { DeleteAction, type DeleteActionOptions, type DeleteResult } from './delete.js';
export { DescribeAction, type DescribeOptions, type DescribeResult } from './describe.js';
export { EDIT_HEADER, EditAction, type EditOptions, type EditResult } from './edit.js';
export { explain } from './explain.js';
export { EXPORT_DEPRECATION, exportObject } from './export.js';
export * from './generators.js';
export { GetAction, type GetGroup, type GetOptions, type GetResult } from './get.js';
export * from './info.js';
export {
  LabelAction,
  type LabelOptions,
  type MetadataChanges,
  type MetadataField,
  splitChanges,
} from './label.js';
export { type Manifest, type ManifestSources, parseManifests, readManifests } from './manifests.js';
export { PatchAction, type PatchActionOptions, parsePatch } from './patch.js';
export * from './rbac.js';
export { type ManifestTarget, targetOf } from './targets.js';
export {
  WATCH_POLL_INTERVAL_MS,
  WatchAction,
  type WatchActionOptions,
  type WatchedChange,
} from './watch.js';

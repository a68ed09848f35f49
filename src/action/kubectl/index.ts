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
export { DrainAction, type DrainOptions, type DrainOutput, ErrorList } from './drain.js';
export { formatGoDuration, parseGoDuration } from './durations.js';
export { EDIT_HEADER, EditAction, type EditOptions, type EditResult } from './edit.js';
export { ExecAction, type ExecOptions, type ExecOutcome, execOperands } from './exec.js';
export { explain } from './explain.js';
export { EXPORT_DEPRECATION, exportObject } from './export.js';
export { ExposeAction, type ExposeOptions, type ExposeResult, parseLabelList } from './expose.js';
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
export {
  FOLLOW_INTERVAL_MS,
  type FollowOptions,
  followLogs,
  type LogStream,
  LogsAction,
  type LogsOptions,
  type LogsOutput,
} from './logs.js';
export { type Manifest, type ManifestSources, parseManifests, readManifests } from './manifests.js';
export {
  CordonAction,
  type CordonOptions,
  type NodeResult,
  parseTaints,
  type Taint,
  TaintAction,
  type TaintOptions,
  taintString,
} from './node.js';
export { PatchAction, type PatchActionOptions, parsePatch } from './patch.js';
export * from './rbac.js';
export {
  CHANGE_CAUSE_ANNOTATION,
  type HistoryResult,
  labelSelectorString,
  podTemplateText,
  RESTARTED_AT_ANNOTATION,
  ROLLOUT_POLL_INTERVAL_MS,
  ROLLOUT_WAIT_LIMIT_MS,
  RolloutAction,
  type RolloutOptions,
  type RolloutStatusOptions,
} from './rollout.js';
export { type RolloutStatus, rolloutStatus } from './rollout-status.js';
export {
  type AttachOptions,
  type AttachOutcome,
  RunAction,
  type RunActionOptions,
  type RunCreated,
} from './run.js';
export {
  asGenerated,
  planRun,
  RUN_POD_GENERATOR,
  type RunPlan,
  type RunSpec,
  runDeprecation,
} from './run-generators.js';
export { ScaleAction, type ScaleOptions } from './scale.js';
export { podSpecPath, RECORD_DEPRECATION } from './set.js';
export { SetEnvAction, type SetEnvOptions, type SetEnvResult } from './set-env.js';
export { SetImageAction, type SetImageOptions } from './set-image.js';
export { type ManifestTarget, targetOf } from './targets.js';
export { quantityValue, TopAction, type TopOptions, type TopResult } from './top.js';
export {
  WATCH_POLL_INTERVAL_MS,
  WatchAction,
  type WatchActionOptions,
  type WatchedChange,
} from './watch.js';

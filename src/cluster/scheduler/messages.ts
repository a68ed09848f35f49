/**
 * The scheduler's failure wording, as kube-scheduler 1.34 words it (the filter plugins' reasons,
 * `FitError.Error()`, the PostFilter messages of DynamicResources and DefaultPreemption).
 */

/** How a node failed a filter: preemption may help (`Unschedulable`) or not (`UnschedulableAndUnresolvable`). */
export type FailureCode = 'Unschedulable' | 'UnschedulableAndUnresolvable';

/** One node's failure: its code and reasons (NodeResourcesFit can give several). */
export interface NodeFailure {
  readonly code: FailureCode;
  readonly reasons: readonly string[];
}

/** Filter reasons (`ErrReason…` of each plugin). */
export const REASON = {
  unschedulable: 'node(s) were unschedulable',
  nodeName: "node(s) didn't match the requested node name",
  /** Since 1.34.2 the taint's key and value are no longer shown (they may be sensitive). */
  taint: 'node(s) had untolerated taint(s)',
  nodeAffinity: "node(s) didn't match Pod's node affinity/selector",
  ports: "node(s) didn't have free ports for the requested pod ports",
  tooManyPods: 'Too many pods',
  insufficient: (resource: string) => `Insufficient ${resource}`,
  volumeNodeConflict: 'node(s) had volume node affinity conflict',
  volumeBindConflict: "node(s) didn't find available persistent volumes to bind",
  podAffinity: "node(s) didn't match pod affinity rules",
  podAntiAffinity: "node(s) didn't match pod anti-affinity rules",
  existingAntiAffinity: "node(s) didn't satisfy existing pods anti-affinity rules",
  /** Nodes a PreFilter result (`matchFields metadata.name`) left out. */
  preFilterNodeAffinity: "node(s) didn't satisfy plugin(s) [NodeAffinity]",
} as const;

/** PreFilter messages of the VolumeBinding plugin. */
export const UNBOUND_IMMEDIATE_CLAIMS = 'pod has unbound immediate PersistentVolumeClaims';

/** `ErrNoNodesAvailable`. */
export const NO_NODES_AVAILABLE = 'no nodes available to schedule pods';

/** The PostFilter message of DynamicResources for a pod without resource claims. */
export const NO_CLAIMS_TO_DEALLOCATE = 'no new claims to deallocate';

/** DefaultPreemption's per-node verdicts. */
export const PREEMPTION_NOT_HELPFUL = 'Preemption is not helpful for scheduling';
export const NO_PREEMPTION_VICTIMS = 'No preemption victims found for incoming pod';
export const PREEMPTION_POLICY_NEVER = 'not eligible due to preemptionPolicy=Never.';
export const PREEMPTION_TERMINATING_ON_NOMINATED =
  'not eligible due to a terminating pod on the nominated node.';
/** The condition a preemption victim gets before it is deleted. */
export const PREEMPTED_MESSAGE = (scheduler: string) =>
  `${scheduler}: preempting to accommodate a higher priority pod`;

/** The condition message of a pod held by scheduling gates. */
export const SCHEDULING_GATED_MESSAGE = 'Scheduling is blocked due to non-empty scheduling gates';

/** Go's `sort.Strings` order (bytewise). */
const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * `0/N nodes are available: <histogram>.`: each reason with the number of nodes that gave it,
 * as `"<count> <reason>"` strings sorted bytewise (so `10 …` sorts before `2 …`, as Go's
 * `sort.Strings` does).
 */
export function nodesAvailableMessage(
  total: number,
  failures: Iterable<NodeFailure>,
  absent?: { readonly count: number; readonly reason: string },
): string {
  const histogram = new Map<string, number>();
  for (const f of failures) for (const r of f.reasons) histogram.set(r, (histogram.get(r) ?? 0) + 1);
  if (absent !== undefined && absent.count > 0)
    histogram.set(absent.reason, (histogram.get(absent.reason) ?? 0) + absent.count);
  const parts = [...histogram].map(([reason, n]) => `${n} ${reason}`).sort(byteOrder);
  return `0/${total} nodes are available${parts.length > 0 ? `: ${parts.join(', ')}` : ''}.`;
}

/**
 * The whole FailedScheduling message (`FitError.Error()`): the filter histogram (or the
 * PreFilter's message), then the PostFilter plugins' messages.
 */
export function fitErrorMessage(options: {
  readonly total: number;
  readonly preFilterMessage?: string;
  readonly failures: Iterable<NodeFailure>;
  readonly absent?: { readonly count: number; readonly reason: string };
  readonly postFilterMessage?: string;
}): string {
  let message: string;
  if (options.preFilterMessage !== undefined) {
    message = `0/${options.total} nodes are available: ${options.preFilterMessage}.`;
  } else {
    message = nodesAvailableMessage(options.total, options.failures, options.absent);
  }
  return options.postFilterMessage ? `${message} ${options.postFilterMessage}` : message;
}

/**
 * DefaultPreemption's message when it finds no candidate: `preemption: 0/N nodes are available:
 * <n> Preemption is not helpful for scheduling, <m> No preemption victims found for incoming pod.`
 */
export function preemptionMessage(total: number, unresolvable: number, noVictims: number): string {
  const parts = [
    ...(unresolvable > 0 ? [`${unresolvable} ${PREEMPTION_NOT_HELPFUL}`] : []),
    ...(noVictims > 0 ? [`${noVictims} ${NO_PREEMPTION_VICTIMS}`] : []),
  ].sort(byteOrder);
  return `preemption: 0/${total} nodes are available${parts.length > 0 ? `: ${parts.join(', ')}` : ''}.`;
}

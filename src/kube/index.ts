/**
 * The cluster seam (L3): the `KubeClient` interface everything above talks to a cluster through,
 * its in-process implementation over the bundled cluster, the embedded cluster of a
 * `$BOSUN_HOME` with its kubeconfig, and the kubectl printing the CLI uses.
 */

export * from './embedded.js';
export { ExplainFieldError, type ExplainKind, type ExplainOptions, explainText } from './explain.js';
export type { HookOutcome } from './hook-wait.js';
export { type InProcessCluster, InProcessKubeClient } from './in-process-client.js';
export * from './kube-client.js';
export {
  currentContextOf,
  DEFAULT_KUBECONFIG,
  type KubeconfigCluster,
  kubeconfigYaml,
} from './kubeconfig.js';
export { resourceMappingNotFoundMessage } from './messages.js';
export {
  type Readiness,
  type ReadinessOptions,
  type ResourceRef,
  readinessOf,
  refLabel,
  refShortName,
} from './readiness.js';
export { threeWayMergePatch } from './three-way-patch.js';
export {
  DEFAULT_POLL_MS,
  describeWaiting,
  WaitFailedError,
  type WaitOptions,
  type WaitProgress,
  WaitTimeoutError,
  waitForDeletion,
  waitForHook,
  waitForReady,
} from './wait.js';

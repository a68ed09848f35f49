/**
 * What the CLI needs from the cluster's kubectl printing (the CLI may not import `src/cluster`):
 * tables (`renderTables`), other `-o` formats (`parseOutputFlag`, `printObjects`), `describe`,
 * and the tab writer for kubectl's other tables.
 */

/** The kubectl release bosun's kubectl prints like: the simulated cluster's version. */
export { KUBERNETES_VERSION as KUBECTL_VERSION } from '../cluster/bootstrap/topology.js';
/** `DescribePodTemplate` and its writer, for `kubectl rollout history --revision`. */
export { describePodTemplate } from '../cluster/printing/describe/pod.js';
export { PrefixWriter } from '../cluster/printing/describe/writer.js';
export {
  alignTabs,
  type DescribeRelated,
  describe,
  hasDescriber,
  humanDuration,
  type OutputFormat,
  type ParsedOutputFlag,
  type PrintObjectsOptions,
  type PrintResult,
  parseCustomColumnsFile,
  parseOutputFlag,
  printObjects,
  renderTables,
  resourceName,
  TABLE_TABWRITER,
  type Table,
  type TableFlags,
  type TableGroup,
} from '../cluster/printing/index.js';

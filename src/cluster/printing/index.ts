/**
 * kubectl v1.34's printing for the simulated cluster: pure functions over plain Kubernetes objects
 * (JSON, each with `apiVersion` and `kind`) and an injected `now` (ms since the epoch); no I/O, no
 * API calls. Checked line for line against the real kubectl by the parity tests.
 *
 * **`kubectl get` (tables).** Two halves, as in Kubernetes:
 * - server: `toTable(objects, { kind, now, printerColumns?, includeObject? })` is the
 *   `meta.k8s.io/v1` Table the API server answers `Accept: …;as=Table` with. Each built-in kind's
 *   columns are data (`KIND_PRINTERS`: column definitions plus a cell function), including the pod
 *   STATUS/READY/RESTARTS algorithm (`podSummary`); custom resources use their CRD's
 *   `additionalPrinterColumns`, or NAME AGE.
 * - client: `renderTables(tableGroups, flags)` prints Tables as kubectl does: `-o wide`,
 *   `--no-headers`, `--show-labels`, `-L`, `-A`, `kind.group/name` prefixes (`withKind`: kubectl sets
 *   it for `get all`, `get pods,svc`, `--show-kind`), one table per kind with a blank line between,
 *   and `No resources found in <ns> namespace.` / `No resources found` as `stderr`.
 * - `printTable(objectGroups, { now, …flags })` does both, for callers holding objects.
 *
 * **Other `-o` formats.** `parseOutputFlag(value, template?)` parses `-o`; `printObjects(objects,
 * format, { singleItem, noHeaders, allowMissingTemplateKeys, showManagedFields })` prints `yaml`,
 * `json`, `name`, `jsonpath=`/`jsonpath-as-json=` (`JsonPath`) and `custom-columns=`. A named object
 * (`singleItem`) prints as itself, anything else as a `kind: List`. Keys are sorted in YAML and
 * JSON (kubectl marshals unstructured maps), JSON is indented by four spaces with Go's HTML
 * escaping, managedFields are dropped. `go-template` is not supported. Failures throw
 * `InvalidArgumentError` with kubectl's message; kubectl prints it as `error: <message>`, adding a
 * newline only when the message lacks one.
 *
 * **`kubectl describe`.** `describe(object, related, now)`; `related` holds what kubectl would fetch
 * alongside (events, the namespace's pods, ReplicaSets, EndpointSlices or Endpoints, services,
 * secrets, quotas, a node's Lease); see `DescribeRelated`. Kinds without a kubectl describer get
 * its generic, field-by-field description. Dates print in UTC.
 *
 * Shared helpers: `humanDuration` (AGE), `alignTabs` (Go's tab writer), `goJson` (Go's JSON).
 */

export {
  type CustomColumn,
  parseCustomColumns,
  parseCustomColumnsFile,
  printCustomColumns,
  relaxedJsonPath,
} from './custom-columns.js';
export { type DescribeRelated, describe, eventsFor, hasDescriber } from './describe/index.js';
export { age, humanDuration, parseTime, shortHumanDuration } from './duration.js';
export { goJson, goSprint } from './go-format.js';
export { JsonPath, JsonPathExecError, type JsonPathOptions } from './jsonpath/evaluate.js';
export { JsonPathParseError, parseJsonPath } from './jsonpath/parser.js';
export {
  type OutputFormat,
  type ParsedOutputFlag,
  type PrintObjectsOptions,
  parseOutputFlag,
  printObjects,
  resourceName,
} from './output.js';
export { type PodSummary, podSummary } from './pod-status.js';
export { type ObjectGroup, type PrintTableOptions, printTable } from './print-table.js';
export {
  hasBuiltInPrinter,
  KIND_PRINTERS,
  type PrinterColumn,
  printerFor,
  type ToTableOptions,
  toTable,
} from './printers.js';
export {
  type GroupKind,
  kindPrefix,
  type PrintResult,
  renderTables,
  type TableFlags,
  type TableGroup,
} from './render.js';
export { formatLabelSelector, formatLabels, selectorString } from './selectors.js';
export type { Cell, ColumnDefinition, ColumnType, KindPrinter, Table, TableRow } from './table.js';
export { alignTabs, DESCRIBE_TABWRITER, TABLE_TABWRITER, type TabWriterOptions } from './tabwriter.js';
export type { KubeObject } from './values.js';

/**
 * The chart model: what a loaded chart holds, with Helm's field names for Chart.yaml.
 */

import type { PlainObject } from '../internal/objects.js';

/** A file of a chart: `name` is relative to the chart root, with `/` separators. */
export interface ChartFile {
  readonly name: string;
  readonly data: Buffer;
}

/** A chart maintainer (Chart.yaml `maintainers[]`). */
export interface Maintainer {
  readonly name: string;
  readonly email?: string;
  readonly url?: string;
}

/** An `import-values` entry: a child path copied to a parent path, or an exported key. */
export type ImportValue = string | { readonly child: string; readonly parent: string };

/** A Chart.yaml `dependencies[]` entry. */
export interface Dependency {
  readonly name: string;
  readonly version?: string;
  readonly repository?: string;
  readonly condition?: string;
  readonly tags?: readonly string[];
  readonly enabled?: boolean;
  readonly 'import-values'?: readonly ImportValue[];
  readonly alias?: string;
}

/** Chart types. */
export type ChartType = 'application' | 'library';

/** Chart.yaml (apiVersion v1 or v2), with Helm's field names. */
export interface ChartMetadata {
  readonly apiVersion: string;
  readonly name: string;
  readonly version: string;
  readonly kubeVersion?: string;
  readonly description?: string;
  readonly type?: ChartType;
  readonly keywords?: readonly string[];
  readonly home?: string;
  readonly sources?: readonly string[];
  readonly dependencies?: readonly Dependency[];
  readonly maintainers?: readonly Maintainer[];
  readonly icon?: string;
  readonly appVersion?: string;
  readonly deprecated?: boolean;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** Chart.lock: the resolved dependencies and their digest. */
export interface ChartLock {
  readonly generated: string;
  readonly digest: string;
  readonly dependencies: readonly Dependency[];
}

/** A loaded chart with its subcharts. */
export interface Chart {
  readonly metadata: ChartMetadata;
  /** Chart.lock, when present. */
  readonly lock?: ChartLock;
  /** Files under `templates/`, sorted by name. */
  readonly templates: readonly ChartFile[];
  /** Parsed `values.yaml` (`{}` when absent). */
  readonly values: PlainObject;
  /** `values.schema.json` as text, when present. */
  readonly schema?: string;
  /** Every other file (README, LICENSE, crds/, files for `.Files`), sorted by name. */
  readonly files: readonly ChartFile[];
  /** Every file as loaded, including Chart.yaml and values.yaml (for `show` and packaging). */
  readonly raw: readonly ChartFile[];
  /** Subcharts loaded from `charts/`, sorted by name. */
  readonly dependencies: readonly Chart[];
}

/** Archive and directory limits (Helm's numbers). */
export const MAX_CHART_SIZE = 100 * 1024 * 1024;
/** Largest single file in a chart. */
export const MAX_CHART_FILE_SIZE = 5 * 1024 * 1024;

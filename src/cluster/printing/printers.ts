/**
 * Server-side printing: objects of one kind to a `meta.k8s.io/v1` Table, as the API server answers
 * `kubectl get` (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`). Built-in kinds use their
 * printers (columns as data); custom resources use their CRD's `additionalPrinterColumns`, or
 * Name and Age when it declares none.
 */

import { age, parseTime } from './duration.js';
import { goJson } from './go-format.js';
import { JsonPath } from './jsonpath/evaluate.js';
import { CLUSTER_PRINTERS } from './printers-cluster.js';
import { NETWORK_PRINTERS } from './printers-network.js';
import { WORKLOAD_PRINTERS } from './printers-workloads.js';
import {
  type Cell,
  type ColumnDefinition,
  type ColumnType,
  CREATION_DESCRIPTION,
  column,
  type KindPrinter,
  partialObjectMetadata,
  type Table,
} from './table.js';
import { isMap, type KubeObject, nameOf } from './values.js';

/** Printers of the built-in kinds, by kind. */
export const KIND_PRINTERS: Readonly<Record<string, KindPrinter>> = {
  ...WORKLOAD_PRINTERS,
  ...NETWORK_PRINTERS,
  ...CLUSTER_PRINTERS,
};

/** A CRD's `additionalPrinterColumns` entry. */
export interface PrinterColumn {
  readonly name: string;
  readonly type: string;
  readonly format?: string;
  readonly description?: string;
  readonly priority?: number;
  readonly jsonPath: string;
}

/** Options of `toTable`. */
export interface ToTableOptions {
  /** The objects' kind (`Deployment`). */
  readonly kind: string;
  /** Current time, ms since the epoch (ages are computed against it). */
  readonly now: number;
  /**
   * For custom resources: the CRD version's `additionalPrinterColumns`. Ignored for built-in kinds;
   * when absent or empty, a custom resource gets an Age column.
   */
  readonly printerColumns?: readonly PrinterColumn[];
  /** `metadata.resourceVersion` of the list the rows come from. */
  readonly resourceVersion?: string;
  /** The request's `includeObject`: what each row carries of its object. @default 'Metadata' */
  readonly includeObject?: 'None' | 'Metadata' | 'Object';
}

/** The columns a CRD declares when it declares none. */
const DEFAULT_CR_COLUMNS: readonly PrinterColumn[] = [
  { name: 'Age', type: 'date', description: CREATION_DESCRIPTION, jsonPath: '.metadata.creationTimestamp' },
];

const COLUMN_TYPES: readonly string[] = ['string', 'integer', 'number', 'boolean', 'date'];

/** A cell of a typed custom-resource column (`cellForJSONValue`). */
function typedCell(type: string, value: unknown, now: number): Cell {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'string':
      return typeof value === 'string' ? value : null;
    case 'date':
      if (typeof value !== 'string') return null;
      return parseTime(value) === undefined ? '<invalid>' : age(value, now);
    default:
      return null;
  }
}

/** A printer for custom resources from their CRD's printer columns. */
function customResourcePrinter(columns: readonly PrinterColumn[]): KindPrinter {
  const paths = columns.map((c) => new JsonPath(`{${c.jsonPath}}`, { allowMissingKeys: true }));
  return {
    columns: [
      column('Name'),
      ...columns.map(
        (c): ColumnDefinition => ({
          name: c.name,
          type: (COLUMN_TYPES.includes(c.type) ? c.type : 'string') as ColumnType,
          format: c.format ?? '',
          description:
            c.description || `Custom resource definition column (in JSONPath format): ${c.jsonPath}`,
          priority: c.priority ?? 0,
        }),
      ),
    ],
    cells: (o, now) => [
      nameOf(o),
      ...columns.map((c, i): Cell => {
        let results: unknown[][];
        try {
          results = paths[i]!.findResults(o);
        } catch {
          return null;
        }
        const first = results[0];
        if (first === undefined || first.length === 0) return null;
        const value = first[0];
        if (c.type === 'string') {
          if (Array.isArray(value) || isMap(value)) return goJson(value);
          return paths[i]!.printResults([value]);
        }
        return typedCell(c.type, value, now);
      }),
    ],
  };
}

/** The printer of a kind: its own, or the custom-resource one. */
export function printerFor(kind: string, printerColumns?: readonly PrinterColumn[]): KindPrinter {
  const builtIn = KIND_PRINTERS[kind];
  if (builtIn !== undefined) return builtIn;
  return customResourcePrinter(
    printerColumns !== undefined && printerColumns.length > 0 ? printerColumns : DEFAULT_CR_COLUMNS,
  );
}

/** Converts objects of one kind to the Table the API server returns for them. */
export function toTable(objects: readonly KubeObject[], options: ToTableOptions): Table {
  const printer = printerFor(options.kind, options.printerColumns);
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: options.resourceVersion === undefined ? {} : { resourceVersion: options.resourceVersion },
    columnDefinitions: printer.columns,
    rows: objects.map((o) => {
      const cells = printer.cells(o, options.now);
      if (options.includeObject === 'None') return { cells };
      return { cells, object: options.includeObject === 'Object' ? o : partialObjectMetadata(o) };
    }),
  };
}

/** Whether `kind` has a built-in printer (otherwise it prints as a custom resource). */
export function hasBuiltInPrinter(kind: string): boolean {
  return KIND_PRINTERS[kind] !== undefined;
}

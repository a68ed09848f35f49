/**
 * `kubectl get`'s default output end to end: each kind's objects to the API server's Table
 * (`toTable`), then printed as kubectl prints Tables (`renderTables`).
 */

import { type PrinterColumn, toTable } from './printers.js';
import { type GroupKind, type PrintResult, renderTables, type TableFlags } from './render.js';
import type { KubeObject } from './values.js';

/** The objects of one kind, in the order the API lists them. */
export interface ObjectGroup extends GroupKind {
  /** Whether the kind is namespaced. */
  readonly namespaced: boolean;
  readonly objects: readonly KubeObject[];
  /** For custom resources: the CRD version's `additionalPrinterColumns`. */
  readonly printerColumns?: readonly PrinterColumn[];
}

/** Options of `printTable`: the table flags and the current time. */
export interface PrintTableOptions extends TableFlags {
  /** Current time, ms since the epoch (AGE and other durations). */
  readonly now: number;
}

/** Prints the objects of one or more kinds as `kubectl get` does (`-o wide` with `wide`). */
export function printTable(groups: readonly ObjectGroup[], options: PrintTableOptions): PrintResult {
  return renderTables(
    groups.map((g) => ({
      groupKind: { kind: g.kind, group: g.group },
      namespaced: g.namespaced,
      table: toTable(g.objects, {
        kind: g.kind,
        now: options.now,
        ...(g.printerColumns === undefined ? {} : { printerColumns: g.printerColumns }),
      }),
    })),
    options,
  );
}

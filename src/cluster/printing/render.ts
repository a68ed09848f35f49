/**
 * Client-side table printing, as `kubectl get` prints the Tables it receives
 * (`cli-runtime/pkg/printers/tableprinter.go` and `kubectl/pkg/cmd/get/get.go`): priority-1 columns
 * only with `-o wide`, NAMESPACE first with `-A`, label columns (`-L`) and LABELS
 * (`--show-labels`) last, `kind.group/` before names when several kinds are printed, headers in
 * upper case, cells aligned by a tab writer (padding 3), one table per kind separated by a blank
 * line, and `No resources found…` on stderr when nothing was printed.
 */

import { goNumber } from './go-format.js';
import { formatLabels } from './selectors.js';
import type { Cell, ColumnDefinition, Table } from './table.js';
import { alignTabs, TABLE_TABWRITER } from './tabwriter.js';
import { namespaceOf, strMap } from './values.js';

/** A kind as kubectl names it in front of object names (`GroupKind`). */
export interface GroupKind {
  /** `Deployment`. */
  readonly kind: string;
  /** API group; `''` for the core group. */
  readonly group: string;
}

/** What `kubectl get` printed: the table text and the `No resources found` notice. */
export interface PrintResult {
  readonly stdout: string;
  readonly stderr: string;
}

/** `kubectl get` flags that shape a table. */
export interface TableFlags {
  /** `-o wide`: priority-1 columns too. @default false */
  readonly wide?: boolean;
  /** `--no-headers`. @default false */
  readonly noHeaders?: boolean;
  /** `--show-labels`: a LABELS column. @default false */
  readonly showLabels?: boolean;
  /** `-L key`: one column per label key. @default [] */
  readonly labelColumns?: readonly string[];
  /** `-A` / `--all-namespaces`: a NAMESPACE column for namespaced kinds. @default false */
  readonly allNamespaces?: boolean;
  /**
   * Prefix names with `kind.group/` (`pod/web-1`, `deployment.apps/web`): kubectl does when several
   * kinds were asked for (`get all`, `get pods,svc`) or with `--show-kind`. @default false
   */
  readonly withKind?: boolean;
  /** The namespace listed, for `No resources found in <ns> namespace.` @default 'default' */
  readonly namespace?: string;
}

/** The table of one kind, as received from the API. */
export interface TableGroup {
  readonly groupKind: GroupKind;
  /** Whether the kind is namespaced (no NAMESPACE column otherwise). */
  readonly namespaced: boolean;
  readonly table: Table;
}

/** `GroupKind.String()` lower-cased: `pod`, `deployment.apps`. */
export function kindPrefix(gk: GroupKind): string {
  return (gk.group === '' ? gk.kind : `${gk.kind}.${gk.group}`).toLowerCase();
}

/** A cell as kubectl writes it: cut at the first line break (then `...`), escape sequences shown as `^[`. */
function cellText(cell: Cell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return goNumber(cell);
  if (typeof cell === 'boolean') return String(cell);
  const cut = cell.search(/[\f\n\r]/);
  const text = cut < 0 ? cell : `${cell.slice(0, cut)}...`;
  return text.replaceAll('\x1b', '^[');
}

/** Adds NAMESPACE, label columns and the kind prefix to a table (`decorateTable`). */
function decorate(
  group: TableGroup,
  flags: TableFlags,
  withNamespace: boolean,
): { columns: ColumnDefinition[]; rows: Cell[][] } {
  const labelColumns = flags.labelColumns ?? [];
  const columns: ColumnDefinition[] = [
    ...(withNamespace
      ? [{ name: 'Namespace', type: 'string', format: '', description: '', priority: 0 } as const]
      : []),
    ...group.table.columnDefinitions,
    ...labelColumns.map((l) => ({
      name: l.split('/').pop()!.toUpperCase(),
      type: 'string' as const,
      format: '',
      description: '',
      priority: 0,
    })),
    ...(flags.showLabels
      ? [{ name: 'Labels', type: 'string', format: '', description: '', priority: 0 } as const]
      : []),
  ];
  const nameColumn = flags.withKind
    ? group.table.columnDefinitions.findIndex((c) => c.format === 'name' && c.type === 'string')
    : -1;
  const rows = group.table.rows.map((row) => {
    const cells = [...row.cells];
    if (nameColumn >= 0)
      cells[nameColumn] = `${kindPrefix(group.groupKind)}/${cellText(cells[nameColumn] ?? null)}`;
    const labels = strMap(row.object, 'metadata', 'labels');
    // Without the row's object kubectl leaves these cells empty.
    const known = row.object !== undefined;
    return [
      ...(withNamespace ? [namespaceOf(row.object)] : []),
      ...cells,
      ...labelColumns.map((k) => labels[k] ?? ''),
      ...(flags.showLabels ? [known ? formatLabels(labels) : ''] : []),
    ];
  });
  return { columns, rows };
}

/** Prints one kind's table (`printTable`): `''` when it has no rows and headers are on. */
function renderOne(group: TableGroup, flags: TableFlags, withNamespace: boolean): string {
  const { columns, rows } = decorate(group, flags, withNamespace);
  const visible = columns.map((c) => flags.wide === true || c.priority === 0);
  const lines: string[] = [];
  if (flags.noHeaders !== true) {
    if (rows.length === 0) return '';
    lines.push(
      columns
        .filter((_, i) => visible[i])
        .map((c) => c.name.toUpperCase())
        .join('\t'),
    );
  }
  for (const row of rows) {
    // Extra cells beyond the column definitions are ignored, as kubectl does.
    lines.push(columns.flatMap((_, i) => (visible[i] ? [cellText(row[i] ?? null)] : [])).join('\t'));
  }
  return alignTabs(lines.map((l) => `${l}\n`).join(''), TABLE_TABWRITER);
}

/** Prints the tables of one `kubectl get`, kind after kind. */
export function renderTables(groups: readonly TableGroup[], flags: TableFlags = {}): PrintResult {
  const allNamespaces = flags.allNamespaces ?? false;
  let allNamespaced = !allNamespaces;
  let stdout = '';
  for (const group of groups) {
    allNamespaced = allNamespaced && group.namespaced;
    const text = renderOne(group, flags, allNamespaces && group.namespaced);
    if (text === '') continue;
    // A blank line separates kinds, unless headers are off.
    if (stdout !== '' && flags.noHeaders !== true) stdout += '\n';
    stdout += text;
  }
  if (stdout !== '') return { stdout, stderr: '' };
  const stderr = allNamespaced
    ? `No resources found in ${flags.namespace ?? 'default'} namespace.\n`
    : 'No resources found\n';
  return { stdout, stderr };
}

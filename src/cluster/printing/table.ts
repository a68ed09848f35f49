/**
 * The API server's `meta.k8s.io/v1` Table (what `kubectl get` asks for with `as=Table`): column
 * definitions, and one row of preformatted cells per object with the object's metadata
 * (`PartialObjectMetadata`), from which kubectl takes NAMESPACE and LABELS.
 */

import { isMap, type KubeObject } from './values.js';

/** A column's value type, as the API declares it. */
export type ColumnType = 'string' | 'integer' | 'number' | 'boolean' | 'date';

/** One column of a Table (`metav1.TableColumnDefinition`). */
export interface ColumnDefinition {
  /** Human name; kubectl prints it upper-cased (`Up-to-date` → `UP-TO-DATE`). */
  readonly name: string;
  readonly type: ColumnType;
  /** `name` marks the object-name column (kubectl prefixes it with the kind). */
  readonly format: string;
  readonly description: string;
  /** 0 = always shown; 1 = only with `-o wide`. */
  readonly priority: number;
}

/** A cell: preformatted text, an integer or number, a boolean, or null (printed empty). */
export type Cell = string | number | boolean | null;

/** One row of a Table. */
export interface TableRow {
  readonly cells: readonly Cell[];
  /**
   * The row's object: `PartialObjectMetadata` (apiVersion, kind, metadata) by default, the whole
   * object for `includeObject=Object`, absent for `includeObject=None`.
   */
  readonly object?: KubeObject;
}

/** A `meta.k8s.io/v1` Table. */
export interface Table {
  readonly kind: 'Table';
  readonly apiVersion: 'meta.k8s.io/v1';
  readonly metadata: { readonly resourceVersion?: string };
  readonly columnDefinitions: readonly ColumnDefinition[];
  readonly rows: readonly TableRow[];
}

/** `metav1.ObjectMeta` documentation of `name`, the Name column's description. */
export const NAME_DESCRIPTION =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';

/** `metav1.ObjectMeta` documentation of `creationTimestamp`, the Age column's description. */
export const CREATION_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

/** A column definition; `priority` 1 marks a `-o wide` column. */
export function column(
  name: string,
  type: ColumnType = 'string',
  priority = 0,
  description = '',
): ColumnDefinition {
  if (name === 'Name') return { name, type, format: 'name', description: NAME_DESCRIPTION, priority };
  if (name === 'Age' || name === 'Created At') {
    return { name, type, format: '', description: CREATION_DESCRIPTION, priority };
  }
  return { name, type, format: '', description, priority };
}

/** The `PartialObjectMetadata` kubectl receives with each row. */
export function partialObjectMetadata(obj: KubeObject): KubeObject {
  const metadata = isMap(obj.metadata) ? { ...obj.metadata } : {};
  delete metadata.managedFields;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata };
}

/** How one kind becomes Table rows: its columns (as data) and the cells of one object. */
export interface KindPrinter {
  readonly columns: readonly ColumnDefinition[];
  cells(obj: KubeObject, now: number): Cell[];
}

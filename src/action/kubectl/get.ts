/**
 * `kubectl get`: the objects of one or more kinds (`pods,svc`, `all`, `deploy/web`), by name or
 * listed with `-l`, `--field-selector`, `-n` or `-A`, with the server's Table of each kind when a
 * table is to be printed. Missing names are reported as kubectl does, after what was found.
 */

import type { KindDescriptor, KubeObject } from '../../kube/index.js';
import type { Table } from '../../kube/printing.js';
import { type KubectlOptions, metaString, selectedObjects, selectResources } from './context.js';

/** Options of {@link GetAction}. */
export interface GetOptions extends KubectlOptions {
  /** `-A`. @default false */
  readonly allNamespaces?: boolean;
  /** `-l`. */
  readonly labelSelector?: string;
  /** `--field-selector`. */
  readonly fieldSelector?: string;
  /** Fetch each kind's Table (for the table formats). @default true */
  readonly tables?: boolean;
}

/** The objects of one kind. */
export interface GetGroup {
  readonly kind: KindDescriptor;
  readonly objects: readonly KubeObject[];
  /** The server's Table of `objects` (when asked for). */
  readonly table?: Table;
  /** The version `get -w` follows changes after: the list's, or the newest named object's. */
  readonly resourceVersion: string;
  /** The names asked for (none: the whole selection). */
  readonly names: readonly string[];
}

/** What `kubectl get` found. */
export interface GetResult {
  readonly groups: readonly GetGroup[];
  /** Several kinds were asked for: names print as `kind.group/name`. */
  readonly multiple: boolean;
  /** One object was named: `-o yaml` prints it as itself, not as a List. */
  readonly singleItem: boolean;
  /** The namespace listed (for `No resources found in <ns> namespace.`). */
  readonly namespace: string;
  /** The cluster's time, ms since the epoch (AGE). */
  readonly now: number;
  /** Names that could not be read. */
  readonly errors: readonly Error[];
}

/** `kubectl get`. */
export class GetAction {
  constructor(private readonly options: GetOptions) {}

  /** Gets what the resource arguments name. */
  async run(args: readonly string[]): Promise<GetResult> {
    const { client, namespace = 'default', allNamespaces = false, tables = true } = this.options;
    const { selections, multiple } = await selectResources(client, args);
    const groups: GetGroup[] = [];
    const errors: Error[] = [];
    let named = 0;
    const list = {
      ...(allNamespaces ? {} : { namespace }),
      ...(this.options.labelSelector ? { labelSelector: this.options.labelSelector } : {}),
      ...(this.options.fieldSelector ? { fieldSelector: this.options.fieldSelector } : {}),
    };
    for (const selection of selections) {
      const { kind, names } = selection;
      named += names.length;
      let objects: KubeObject[];
      let resourceVersion: string;
      if (names.length === 0) {
        const listed = await client.list(kind, list);
        objects = [...listed.items];
        resourceVersion = listed.metadata.resourceVersion;
      } else {
        objects = await selectedObjects(client, selection, namespace, list, errors);
        resourceVersion = String(
          Math.max(0, ...objects.map((o) => Number(metaString(o, 'resourceVersion')) || 0)),
        );
      }
      const table = tables ? await client.table(kind, objects) : undefined;
      groups.push({ kind, objects, resourceVersion, names, ...(table === undefined ? {} : { table }) });
    }
    return {
      groups,
      multiple,
      singleItem: named === 1 && !multiple,
      namespace,
      now: (await client.now()).getTime(),
      errors,
    };
  }
}

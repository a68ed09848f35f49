/**
 * Lists: the items of one resource that match a namespace and label and field selectors, in
 * (namespace, name) order, optionally in pages (`limit` + `continue`), with the list's
 * resourceVersion (the store revision it was read at).
 */

import type { KubeObject, ObjectStore } from '../../store/types.js';
import { apiVersionOf, type KindInfo, resourceKeyOf } from '../types.js';
import { badRequest } from './api-errors.js';
import {
  checkFieldSelector,
  type FieldSelector,
  matchesFields,
  parseFieldSelector,
} from './field-selector.js';
import { labelsOf, metaString } from './json-values.js';
import {
  EVERYTHING,
  type LabelSelector,
  labelEqualityTerms,
  matchesLabels,
  parseLabelSelector,
} from './label-selector.js';
import { stampRevision } from './object-stamps.js';

/** A list as the API returns it (`DeploymentList`, …). */
export interface ObjectList {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly resourceVersion: string;
    readonly continue?: string;
    readonly remainingItemCount?: number;
  };
  readonly items: KubeObject[];
}

/** Which objects to list. */
export interface ListQuery {
  /** Only this namespace (ignored for cluster-scoped kinds); all when absent. */
  readonly namespace?: string;
  /** Query-string syntax or a parsed selector. */
  readonly labelSelector?: string | LabelSelector;
  readonly fieldSelector?: string | FieldSelector;
  /** At most this many items; `metadata.continue` then names the rest. */
  readonly limit?: number;
  /** The `metadata.continue` of the previous page. */
  readonly continue?: string;
}

/** Parsed, checked selectors of a query. */
export function selectorsOf(
  info: KindInfo,
  query: Pick<ListQuery, 'labelSelector' | 'fieldSelector'>,
): { labels: LabelSelector; fields: FieldSelector } {
  const labels =
    typeof query.labelSelector === 'string'
      ? parseLabelSelector(query.labelSelector)
      : (query.labelSelector ?? EVERYTHING);
  const fields =
    typeof query.fieldSelector === 'string'
      ? parseFieldSelector(query.fieldSelector)
      : (query.fieldSelector ?? { terms: [] });
  checkFieldSelector(resourceKeyOf(info), fields);
  return { labels, fields };
}

const encodeContinue = (start: string): string =>
  Buffer.from(JSON.stringify({ start }), 'utf8').toString('base64url');

function decodeContinue(token: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { start?: unknown };
    if (typeof parsed.start === 'string') return parsed.start;
  } catch {
    // reported below
  }
  throw badRequest(`continue key is not valid: ${JSON.stringify(token)}`);
}

/** Lists one resource. */
export function listObjects(store: ObjectStore, info: KindInfo, query: ListQuery): ObjectList {
  const resource = resourceKeyOf(info);
  const { labels, fields } = selectorsOf(info, query);
  const namespace = info.scope === 'Namespaced' ? query.namespace || undefined : undefined;
  const labelEquals = labelEqualityTerms(labels);
  const result = store.list(resource, {
    ...(namespace === undefined ? {} : { namespace }),
    ...(labelEquals === undefined ? {} : { labelEquals }),
  });
  const after = query.continue ? decodeContinue(query.continue) : undefined;
  const id = (ns: string, name: string) => `${ns}\0${name}`;
  const matching = result.items
    .filter((s) => after === undefined || id(s.key.namespace, s.key.name) > after)
    .map(stampRevision)
    .filter((o) => matchesLabels(labels, labelsOf(o)) && matchesFields(resource, fields, o));
  const limit = query.limit !== undefined && query.limit > 0 ? Math.floor(query.limit) : undefined;
  const items = limit === undefined ? matching : matching.slice(0, limit);
  const rest = matching.length - items.length;
  const tail = items[items.length - 1];
  const metadata =
    rest > 0 && tail !== undefined
      ? {
          resourceVersion: String(result.revision),
          continue: encodeContinue(id(metaString(tail, 'namespace'), metaString(tail, 'name'))),
          remainingItemCount: rest,
        }
      : { resourceVersion: String(result.revision) };
  return { apiVersion: apiVersionOf(info), kind: `${info.kind}List`, metadata, items };
}

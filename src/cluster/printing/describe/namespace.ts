/** `kubectl describe` of Namespace, ResourceQuota and LimitRange. */

import { canonicalQuantity, formatQuantity, parseQuantity, value, ZERO } from '../quantity.js';
import { get, list, map, nameOf, namespaceOf, str } from '../values.js';
import { LEVEL_0, LEVEL_1, PrefixWriter, printMetadata, rfc1123z } from './writer.js';

const nameAndNamespace = (w: PrefixWriter, obj: unknown): void => {
  w.write(LEVEL_0, `Name:\t${nameOf(obj)}\n`);
  w.write(LEVEL_0, `Namespace:\t${namespaceOf(obj)}\n`);
};

const QUOTA_SCOPE_HELP: Record<string, string> = {
  Terminating:
    'Matches all pods that have an active deadline. These pods have a limited lifespan on a node before being actively terminated by the system.',
  NotTerminating:
    'Matches all pods that do not have an active deadline. These pods usually include long running pods whose container command is not expected to terminate.',
  BestEffort:
    'Matches all pods that do not have resource requirements set. These pods have a best effort quality of service.',
  NotBestEffort:
    'Matches all pods that have at least one resource requirement set. These pods have a burstable or guaranteed quality of service.',
};

/** One row per resource of each limit (`describeLimitRangeSpec`), resources in name order. */
function limitRangeRows(w: PrefixWriter, lr: unknown, prefix: string): void {
  for (const item of list(lr, 'spec', 'limits')) {
    const fields = ['min', 'max', 'defaultRequest', 'default', 'maxLimitRequestRatio'];
    const names = [...new Set(fields.flatMap((f) => Object.keys(map(item, f))))].sort();
    for (const r of names) {
      const cells = fields.map((f) =>
        get(item, f, r) === undefined ? '-' : canonicalQuantity(get(item, f, r)),
      );
      w.write(LEVEL_0, `${prefix}${str(item, 'type')}\t${r}\t${cells.join('\t')}\n`);
    }
  }
}

/** `kubectl describe limitrange`. */
export function describeLimitRange(lr: unknown): string {
  const w = new PrefixWriter();
  nameAndNamespace(w, lr);
  w.write(LEVEL_0, 'Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n');
  w.write(LEVEL_0, '----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n');
  limitRangeRows(w, lr, '');
  return w.toString();
}

/** `kubectl describe resourcequota`: used beside hard, used shown in hard's units. */
export function describeResourceQuota(quota: unknown): string {
  const w = new PrefixWriter();
  nameAndNamespace(w, quota);
  const scopes = list(quota, 'spec', 'scopes').map(String).sort();
  if (scopes.length > 0) {
    w.write(LEVEL_0, `Scopes:\t${scopes.join(', ')}\n`);
    for (const scope of scopes)
      if (QUOTA_SCOPE_HELP[scope]) w.write(LEVEL_0, ` * ${QUOTA_SCOPE_HELP[scope]}\n`);
  }
  w.write(LEVEL_0, 'Resource\tUsed\tHard\n');
  w.write(LEVEL_0, '--------\t----\t----\n');
  const hard = map(quota, 'status', 'hard');
  for (const r of Object.keys(hard).sort()) {
    const h = parseQuantity(hard[r]) ?? ZERO;
    let used = parseQuantity(get(quota, 'status', 'used', r)) ?? ZERO;
    if (used.format !== h.format) used = { nanos: BigInt(value(used)) * 1_000_000_000n, format: h.format };
    w.write(LEVEL_0, `${r}\t${formatQuantity(used)}\t${formatQuantity(h)}\n`);
  }
  return w.toString();
}

/** `kubectl describe namespace`; quotas and limit ranges are the namespace's. */
export function describeNamespace(
  ns: unknown,
  quotas: readonly unknown[],
  limitRanges: readonly unknown[],
): string {
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${nameOf(ns)}\n`);
  printMetadata(w, ns);
  w.write(LEVEL_0, `Status:\t${str(ns, 'status', 'phase')}\n`);
  const conds = list(ns, 'status', 'conditions');
  if (conds.length > 0) {
    w.write(LEVEL_0, 'Conditions:\n');
    w.write(LEVEL_1, 'Type\tStatus\tLastTransitionTime\tReason\tMessage\n');
    w.write(LEVEL_1, '----\t------\t------------------\t------\t-------\n');
    for (const c of conds) {
      w.write(
        LEVEL_1,
        `${str(c, 'type')}\t${str(c, 'status')}\t${rfc1123z(get(c, 'lastTransitionTime'))}\t${str(c, 'reason')}\t${str(c, 'message')}\n`,
      );
    }
  }
  w.write(LEVEL_0, '\n');
  if (quotas.length === 0) w.write(LEVEL_0, 'No resource quota.\n');
  else {
    w.write(LEVEL_0, 'Resource Quotas\n');
    for (const q of [...quotas].sort((a, b) => (nameOf(a) < nameOf(b) ? -1 : 1))) {
      w.write(LEVEL_1, `Name:\t${nameOf(q)}\n`);
      const scopes = list(q, 'spec', 'scopes').map(String).sort();
      if (scopes.length > 0) w.write(LEVEL_1, `Scopes:\t${scopes.join(', ')}\n`);
      w.write(LEVEL_1, 'Resource\tUsed\tHard\n');
      w.write(LEVEL_1, '--------\t---\t---\n');
      const hard = map(q, 'status', 'hard');
      for (const r of Object.keys(hard).sort()) {
        w.write(
          LEVEL_1,
          `${r}\t${canonicalQuantity(get(q, 'status', 'used', r) ?? '0')}\t${canonicalQuantity(hard[r])}\n`,
        );
      }
    }
  }
  w.write(LEVEL_0, '\n');
  if (limitRanges.length === 0) w.write(LEVEL_0, 'No LimitRange resource.\n');
  else {
    w.write(
      LEVEL_0,
      'Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n',
    );
    w.write(LEVEL_0, ' ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n');
    for (const lr of limitRanges) limitRangeRows(w, lr, ' ');
  }
  return w.toString();
}

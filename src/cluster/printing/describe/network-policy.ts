/** `kubectl describe networkpolicy`: the selected pods and the allowed ingress and egress peers. */

import { formatLabelSelector } from '../selectors.js';
import { get, isMap, list, nameOf, namespaceOf, optNum, str, strMap } from '../values.js';
import { LEVEL_0, LEVEL_1, LEVEL_2, PrefixWriter, printMetadata } from './writer.js';

/** Go's `time.Time.String()` in UTC: `2024-05-01 12:00:00 +0000 UTC`. */
function goTimeString(timestamp: unknown): string {
  const t = typeof timestamp === 'string' ? Date.parse(timestamp) : Number.NaN;
  if (Number.isNaN(t)) return '0001-01-01 00:00:00 +0000 UTC';
  const iso = new Date(t).toISOString();
  const ms = iso.slice(20, 23).replace(/0+$/, '');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${ms === '' ? '' : `.${ms}`} +0000 UTC`;
}

type PeerKey = 'from' | 'to';

function printRules(w: PrefixWriter, rules: readonly unknown[], peers: PeerKey, isolated: string): void {
  const indent = '    ';
  if (rules.length === 0) {
    w.write(LEVEL_0, `${indent}<none> (Selected pods are isolated for ${isolated} connectivity)\n`);
    return;
  }
  rules.forEach((rule, i) => {
    const ports = list(rule, 'ports');
    if (ports.length === 0) w.write(LEVEL_0, `${indent}To Port: <any> (traffic allowed to all ports)\n`);
    for (const p of ports) {
      const proto = str(p, 'protocol') || 'TCP';
      const port = get(p, 'port');
      const portText = typeof port === 'number' || typeof port === 'string' ? String(port) : '<nil>';
      const end = optNum(p, 'endPort');
      w.write(
        LEVEL_0,
        end === undefined
          ? `${indent}To Port: ${portText}/${proto}\n`
          : `${indent}To Port Range: ${portText}-${end}/${proto}\n`,
      );
    }
    const list_ = list(rule, peers);
    const title = peers === 'from' ? 'From' : 'To';
    if (list_.length === 0) {
      w.write(
        LEVEL_0,
        `${indent}${title}: <any> (traffic not restricted by ${peers === 'from' ? 'source' : 'destination'})\n`,
      );
    }
    for (const peer of list_) {
      w.write(LEVEL_0, `${indent}${title}:\n`);
      const pod = get(peer, 'podSelector');
      const nsSel = get(peer, 'namespaceSelector');
      const ipBlock = get(peer, 'ipBlock');
      if (isMap(pod) && isMap(nsSel)) {
        w.write(LEVEL_1, `${indent}NamespaceSelector: ${formatLabelSelector(nsSel)}\n`);
        w.write(LEVEL_1, `${indent}PodSelector: ${formatLabelSelector(pod)}\n`);
      } else if (isMap(pod)) {
        w.write(LEVEL_1, `${indent}PodSelector: ${formatLabelSelector(pod)}\n`);
      } else if (isMap(nsSel)) {
        w.write(LEVEL_1, `${indent}NamespaceSelector: ${formatLabelSelector(nsSel)}\n`);
      } else if (isMap(ipBlock)) {
        w.write(LEVEL_1, `${indent}IPBlock:\n`);
        w.write(LEVEL_2, `${indent}CIDR: ${str(ipBlock, 'cidr')}\n`);
        w.write(LEVEL_2, `${indent}Except: ${list(ipBlock, 'except').join(', ')}\n`);
      }
    }
    if (i !== rules.length - 1) w.write(LEVEL_0, `${indent}----------\n`);
  });
}

/** `kubectl describe networkpolicy`. */
export function describeNetworkPolicy(np: unknown): string {
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${nameOf(np)}\n`);
  w.write(LEVEL_0, `Namespace:\t${namespaceOf(np)}\n`);
  w.write(LEVEL_0, `Created on:\t${goTimeString(get(np, 'metadata', 'creationTimestamp'))}\n`);
  printMetadata(w, np);
  const spec = get(np, 'spec');
  w.write(LEVEL_0, 'Spec:\n');
  w.write(LEVEL_1, 'PodSelector: ');
  const sel = get(spec, 'podSelector');
  const empty =
    Object.keys(strMap(sel, 'matchLabels')).length === 0 && list(sel, 'matchExpressions').length === 0;
  w.write(
    LEVEL_2,
    empty
      ? '<none> (Allowing the specific traffic to all pods in this namespace)\n'
      : `${formatLabelSelector(sel)}\n`,
  );
  const types = list(spec, 'policyTypes').map(String);
  if (types.includes('Ingress')) {
    w.write(LEVEL_1, 'Allowing ingress traffic:\n');
    printRules(w, list(spec, 'ingress'), 'from', 'ingress');
  } else w.write(LEVEL_1, 'Not affecting ingress traffic\n');
  if (types.includes('Egress')) {
    w.write(LEVEL_1, 'Allowing egress traffic:\n');
    printRules(w, list(spec, 'egress'), 'to', 'egress');
  } else w.write(LEVEL_1, 'Not affecting egress traffic\n');
  w.write(LEVEL_1, `Policy Types: ${types.length > 0 ? types.join(', ') : '<none>'}\n`);
  return w.toString();
}

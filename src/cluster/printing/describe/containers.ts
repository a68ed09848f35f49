/**
 * The container and volume sections that pod, pod-template and controller descriptions share
 * (`describeContainers`, `describeVolumes`, `DescribeProbe`, `describeStatus`).
 */

import { goQuote } from '../go-format.js';
import { canonicalQuantity, milliValue, parseQuantity, value } from '../quantity.js';
import { get, isMap, list, map, num, optBool, str, strMap } from '../values.js';
import { goList, LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, type PrefixWriter, rfc1123z } from './writer.js';

const intOrString = (v: unknown): string =>
  typeof v === 'number' || typeof v === 'string' ? String(v) : '0';

/** Go's `url.URL.String()` path escaping, for probe paths. */
const escapePath = (p: string): string =>
  p.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/]/g, (c) =>
    [...new TextEncoder().encode(c)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );

const joinHostPort = (host: string, port: string): string =>
  host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;

/** `DescribeProbe`: `http-get http://:80/ delay=0s timeout=1s period=10s #success=1 #failure=3`. */
export function describeProbe(probe: unknown): string {
  const attrs = `delay=${num(probe, 'initialDelaySeconds')}s timeout=${num(probe, 'timeoutSeconds')}s period=${num(probe, 'periodSeconds')}s #success=${num(probe, 'successThreshold')} #failure=${num(probe, 'failureThreshold')}`;
  if (isMap(get(probe, 'exec'))) return `exec ${goList(list(probe, 'exec', 'command'))} ${attrs}`;
  if (isMap(get(probe, 'httpGet'))) {
    const h = get(probe, 'httpGet');
    const port = intOrString(get(h, 'port'));
    const scheme = str(h, 'scheme').toLowerCase();
    const host = port === '' ? str(h, 'host') : joinHostPort(str(h, 'host'), port);
    let path = escapePath(str(h, 'path'));
    if (path !== '' && !path.startsWith('/') && host !== '') path = `/${path}`;
    return `http-get ${scheme === '' ? '' : `${scheme}:`}//${host}${path} ${attrs}`;
  }
  if (isMap(get(probe, 'tcpSocket'))) {
    return `tcp-socket ${str(probe, 'tcpSocket', 'host')}:${intOrString(get(probe, 'tcpSocket', 'port'))} ${attrs}`;
  }
  if (isMap(get(probe, 'grpc')))
    return `grpc <pod>:${num(probe, 'grpc', 'port')} ${str(probe, 'grpc', 'service')} ${attrs}`;
  return `unknown ${attrs}`;
}

const ports = (cPorts: readonly unknown[], key: 'containerPort' | 'hostPort'): string =>
  cPorts
    .map((p) => {
      const text = `${num(p, key)}/${str(p, 'protocol')}`;
      return str(p, 'name') === '' ? text : `${text} (${str(p, 'name')})`;
    })
    .join(', ');

/** `describeStatus`: a container state (`Running`, `Waiting`, `Terminated`) with its details. */
function describeState(w: PrefixWriter, title: string, state: unknown): void {
  const running = get(state, 'running');
  const waiting = get(state, 'waiting');
  const terminated = get(state, 'terminated');
  if (isMap(running)) {
    w.write(LEVEL_2, `${title}:\tRunning\n`);
    w.write(LEVEL_3, `Started:\t${rfc1123z(get(running, 'startedAt'))}\n`);
  } else if (isMap(waiting)) {
    w.write(LEVEL_2, `${title}:\tWaiting\n`);
    if (str(waiting, 'reason') !== '') w.write(LEVEL_3, `Reason:\t${str(waiting, 'reason')}\n`);
  } else if (isMap(terminated)) {
    w.write(LEVEL_2, `${title}:\tTerminated\n`);
    if (str(terminated, 'reason') !== '') w.write(LEVEL_3, `Reason:\t${str(terminated, 'reason')}\n`);
    if (str(terminated, 'message') !== '') w.write(LEVEL_3, `Message:\t${str(terminated, 'message')}\n`);
    w.write(LEVEL_3, `Exit Code:\t${num(terminated, 'exitCode')}\n`);
    if (num(terminated, 'signal') > 0) w.write(LEVEL_3, `Signal:\t${num(terminated, 'signal')}\n`);
    w.write(LEVEL_3, `Started:\t${rfc1123z(get(terminated, 'startedAt'))}\n`);
    w.write(LEVEL_3, `Finished:\t${rfc1123z(get(terminated, 'finishedAt'))}\n`);
  } else {
    w.write(LEVEL_2, `${title}:\tWaiting\n`);
  }
}

/** `describeResources`: Limits then Requests, each by resource name. */
export function describeResources(w: PrefixWriter, resources: unknown, level: number): void {
  for (const [key, title] of [
    ['limits', 'Limits'],
    ['requests', 'Requests'],
  ] as const) {
    const values = map(resources, key);
    const names = Object.keys(values).sort();
    if (names.length > 0) w.write(level, `${title}:\n`);
    for (const name of names) w.write(level + 1, `${name}:\t${canonicalQuantity(values[name])}\n`);
  }
}

/** `FormatMap`: `k="v"` lines. */
const formatMap = (m: Record<string, string>): string =>
  Object.keys(m)
    .sort()
    .map((k) => `${k}=${goQuote(m[k]!)}`)
    .join('\n');

/** The value of a downward-API field of `pod` as kubectl resolves it (metadata fields only). */
function fieldRefValue(pod: unknown, fieldPath: string): string {
  const sub = /^(metadata\.(?:annotations|labels))\['(.*)'\]$/.exec(fieldPath);
  if (sub !== null) return strMap(pod, ...(sub[1]!.split('.') as [string, string]))[sub[2]!] ?? '';
  switch (fieldPath) {
    case 'metadata.annotations':
      return formatMap(strMap(pod, 'metadata', 'annotations'));
    case 'metadata.labels':
      return formatMap(strMap(pod, 'metadata', 'labels'));
    case 'metadata.name':
    case 'metadata.namespace':
    case 'metadata.uid':
      return str(pod, 'metadata', fieldPath.slice('metadata.'.length));
    default:
      return '';
  }
}

/** `ExtractContainerResourceValue`: a container's request or limit divided by the divisor, rounded up. */
function resourceFieldValue(container: unknown, ref: unknown): string {
  const resource = str(ref, 'resource');
  const [kind, name] = resource.split('.') as [string, string | undefined];
  const q = parseQuantity(get(container, 'resources', kind, name ?? ''));
  const divisor = parseQuantity(get(ref, 'divisor'));
  if (name === 'cpu') {
    const d = divisor === undefined || divisor.nanos === 0n ? 1000 : milliValue(divisor);
    return String(Math.ceil((q === undefined ? 0 : milliValue(q)) / d));
  }
  const d = divisor === undefined || divisor.nanos === 0n ? 1 : value(divisor);
  return String(Math.ceil((q === undefined ? 0 : value(q)) / d));
}

function describeEnv(w: PrefixWriter, container: unknown, pod: unknown): void {
  const envFrom = list(container, 'envFrom');
  if (envFrom.length > 0) {
    w.write(LEVEL_2, 'Environment Variables from:\n');
    for (const e of envFrom) {
      const ref = isMap(get(e, 'configMapRef')) ? get(e, 'configMapRef') : get(e, 'secretRef');
      const from = isMap(get(e, 'configMapRef')) ? 'ConfigMap' : isMap(get(e, 'secretRef')) ? 'Secret' : '';
      const optional = optBool(ref, 'optional') === true;
      const prefix = str(e, 'prefix');
      w.write(
        LEVEL_3,
        `${str(ref, 'name')}\t${from}${prefix === '' ? '' : ` with prefix '${prefix}'`}\tOptional: ${optional}\n`,
      );
    }
  }
  const env = list(container, 'env');
  w.write(LEVEL_2, `Environment:${env.length === 0 ? '\t<none>' : ''}\n`);
  for (const e of env) {
    const name = str(e, 'name');
    const from = get(e, 'valueFrom');
    if (!isMap(from)) {
      str(e, 'value')
        .split('\n')
        .forEach((s, i) => {
          w.write(LEVEL_3, i === 0 ? `${name}:\t${s}\n` : `\t${s}\n`);
        });
    } else if (isMap(from.fieldRef)) {
      const value = pod === undefined ? '' : fieldRefValue(pod, str(from.fieldRef, 'fieldPath'));
      w.write(
        LEVEL_3,
        `${name}:\t${value} (${str(from.fieldRef, 'apiVersion')}:${str(from.fieldRef, 'fieldPath')})\n`,
      );
    } else if (isMap(from.resourceFieldRef)) {
      let value = resourceFieldValue(container, from.resourceFieldRef);
      const resource = str(from.resourceFieldRef, 'resource');
      if (value === '0' && (resource === 'limits.cpu' || resource === 'limits.memory'))
        value = 'node allocatable';
      w.write(LEVEL_3, `${name}:\t${value} (${resource})\n`);
    } else if (isMap(from.secretKeyRef)) {
      const r = from.secretKeyRef;
      w.write(
        LEVEL_3,
        `${name}:\t<set to the key '${str(r, 'key')}' in secret '${str(r, 'name')}'>\tOptional: ${optBool(r, 'optional') === true}\n`,
      );
    } else if (isMap(from.configMapKeyRef)) {
      const r = from.configMapKeyRef;
      w.write(
        LEVEL_3,
        `${name}:\t<set to the key '${str(r, 'key')}' of config map '${str(r, 'name')}'>\tOptional: ${optBool(r, 'optional') === true}\n`,
      );
    }
  }
}

/**
 * `describeContainers`: one block per container; `statuses` are the pod's (none for templates), `pod`
 * resolves downward-API values; `space` is `'  '` inside a pod template.
 */
export function describeContainers(
  w: PrefixWriter,
  label: string,
  containers: readonly unknown[],
  statuses: readonly unknown[] | undefined,
  pod: unknown,
  space = '',
): void {
  w.write(LEVEL_0, `${space}${label}:${containers.length === 0 ? ' <none>' : ''}\n`);
  for (const c of containers) {
    const status = statuses?.find((s) => str(s, 'name') === str(c, 'name'));
    w.write(LEVEL_1, `${space === '' ? '' : ' '}${str(c, 'name')}:\n`);
    if (status !== undefined) w.write(LEVEL_2, `Container ID:\t${str(status, 'containerID')}\n`);
    w.write(LEVEL_2, `Image:\t${str(c, 'image')}\n`);
    if (status !== undefined) w.write(LEVEL_2, `Image ID:\t${str(status, 'imageID')}\n`);
    const cPorts = list(c, 'ports');
    const portText = ports(cPorts, 'containerPort');
    w.write(LEVEL_2, portText.includes(',') ? `Ports:\t${portText}\n` : `Port:\t${portText || '<none>'}\n`);
    const hostText = ports(cPorts, 'hostPort');
    w.write(
      LEVEL_2,
      hostText.includes(',') ? `Host Ports:\t${hostText}\n` : `Host Port:\t${hostText || '<none>'}\n`,
    );
    for (const [key, title] of [
      ['command', 'Command'],
      ['args', 'Args'],
    ] as const) {
      const items = list(c, key);
      if (items.length === 0) continue;
      w.write(LEVEL_2, `${title}:\n`);
      for (const item of items) for (const s of String(item).split('\n')) w.write(LEVEL_3, `${s}\n`);
    }
    if (status !== undefined) {
      describeState(w, 'State', get(status, 'state'));
      if (isMap(get(status, 'lastState', 'terminated')))
        describeState(w, 'Last State', get(status, 'lastState'));
      w.write(LEVEL_2, `Ready:\t${get(status, 'ready') === true ? 'True' : 'False'}\n`);
      w.write(LEVEL_2, `Restart Count:\t${num(status, 'restartCount')}\n`);
    }
    describeResources(w, get(c, 'resources'), LEVEL_2);
    for (const [key, title] of [
      ['livenessProbe', 'Liveness'],
      ['readinessProbe', 'Readiness'],
      ['startupProbe', 'Startup'],
    ] as const) {
      if (isMap(get(c, key))) w.write(LEVEL_2, `${title}:\t${describeProbe(get(c, key))}\n`);
    }
    describeEnv(w, c, pod);
    const mounts = [...list(c, 'volumeMounts')].sort((a, b) =>
      str(a, 'mountPath') < str(b, 'mountPath') ? -1 : str(a, 'mountPath') > str(b, 'mountPath') ? 1 : 0,
    );
    w.write(LEVEL_2, `Mounts:${mounts.length === 0 ? '\t<none>' : ''}\n`);
    for (const m of mounts) {
      const flags = [get(m, 'readOnly') === true ? 'ro' : 'rw'];
      if (str(m, 'subPath') !== '') flags.push(`path=${goQuote(str(m, 'subPath'))}`);
      w.write(LEVEL_3, `${str(m, 'mountPath')} from ${str(m, 'name')} (${flags.join(',')})\n`);
    }
    const devices = list(c, 'volumeDevices');
    if (devices.length > 0) {
      w.write(LEVEL_2, `Devices:${mounts.length === 0 ? '\t<none>' : ''}\n`);
      for (const d of devices) w.write(LEVEL_3, `${str(d, 'devicePath')} from ${str(d, 'name')}\n`);
    }
  }
}

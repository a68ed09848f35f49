/**
 * `kubectl expose (TYPE NAME | TYPE/NAME) [--port=P] [--target-port=T] [--type=…] [--name=N]
 * [--external-ip=IP] [--protocol=…] [--selector=…] [--labels=…] [--cluster-ip=…]`: a Service for
 * a pod, service, replication controller, deployment or replica set, with the exposed object's
 * selector (a pod's labels), labels and ports (`port-1`, `port-2`… when it has several), built
 * as kubectl 1.34 builds it; prints `service/NAME exposed`.
 */

import type { KubeObject } from '../../kube/index.js';
import {
  type DryRun,
  dryRunSuffix,
  type KubectlOptions,
  metaString,
  resolveResource,
  usageError,
} from './context.js';
import { field, objects, stringMap, usageErrorOf } from './pods.js';

/** Options of {@link ExposeAction} (kubectl's flags). */
export interface ExposeOptions extends KubectlOptions {
  /** `--port`. */
  readonly port?: string;
  /** `--target-port` (a number or a port name). */
  readonly targetPort?: string;
  /** `--type`: ClusterIP, NodePort, LoadBalancer or ExternalName. */
  readonly type?: string;
  /** `--name` (else the exposed object's). */
  readonly name?: string;
  /** `--node-port`: the node port of every service port (NodePort and LoadBalancer services). */
  readonly nodePort?: number;
  /** `--external-ip`. */
  readonly externalIP?: string;
  /** `--protocol` (TCP, UDP or SCTP). */
  readonly protocol?: string;
  /** `--selector` (else the exposed object's). */
  readonly selector?: string;
  /** `--labels` (else the exposed object's). */
  readonly labels?: string;
  /** `--cluster-ip` (`None` for a headless service). */
  readonly clusterIP?: string;
  /** `--session-affinity`. */
  readonly sessionAffinity?: string;
  /** @default 'none' */
  readonly dryRun?: DryRun;
}

/** What `expose` made: the Service (as stored, or as built with `--dry-run=client`) and kubectl's line. */
export interface ExposeResult {
  readonly service: KubeObject;
  readonly line: string;
}

/** What kubectl's `CanBeExposed` accepts, as `group/Kind`. */
const EXPOSABLE = new Set([
  '/Pod',
  '/Service',
  '/ReplicationController',
  'apps/Deployment',
  'apps/ReplicaSet',
]);

/** kubectl's `ParseLabels`: `a=b,c=d`. */
export function parseLabelList(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
    const kv = part.split('=');
    if (kv.length !== 2 || kv[0] === '') throw usageError(`invalid label spec: ${part}`);
    out[kv[0]!] = kv[1]!;
  }
  return out;
}

/** The containers of a pod template or pod. */
function containersOf(object: KubeObject): Record<string, unknown>[] {
  const spec = object.kind === 'Pod' ? field(object, 'spec') : field(object, 'spec', 'template', 'spec');
  return objects(field(spec, 'containers'));
}

/** kubectl's `PortsForObject` and `ProtocolsForObject`: each port with its protocols, in order. */
function portsOf(object: KubeObject): { port: string; protocols: string[] }[] {
  const found: { port: string; protocols: string[] }[] = [];
  const add = (port: unknown, protocol: unknown) => {
    if (typeof port !== 'number') return;
    const key = String(port);
    const proto = typeof protocol === 'string' && protocol !== '' ? protocol : 'TCP';
    const entry = found.find((p) => p.port === key);
    if (entry === undefined) found.push({ port: key, protocols: [proto] });
    else if (!entry.protocols.includes(proto)) entry.protocols.push(proto);
  };
  if (object.kind === 'Service') {
    for (const p of objects(field(object, 'spec', 'ports'))) add(p.port, p.protocol);
  } else {
    for (const c of containersOf(object)) for (const p of objects(c.ports)) add(p.containerPort, p.protocol);
  }
  return found;
}

/** kubectl's `MapBasedSelectorForObject`. */
function selectorOf(object: KubeObject): Record<string, string> {
  switch (object.kind) {
    case 'Pod': {
      const labels = stringMap(field(object, 'metadata', 'labels'));
      if (Object.keys(labels).length === 0) throw new Error(`the pod has no labels and cannot be exposed`);
      return labels;
    }
    case 'Service':
    case 'ReplicationController': {
      const selector = stringMap(field(object, 'spec', 'selector'));
      if (object.kind === 'Service' && Object.keys(selector).length === 0)
        throw new Error(`the service has no pod selector set`);
      return selector;
    }
    default: {
      const selector = field(object, 'spec', 'selector');
      const expressions = objects(field(selector, 'matchExpressions'));
      if (expressions.length > 0)
        throw new Error(
          `couldn't convert expressions - "${JSON.stringify(expressions)}" to map-based selector format`,
        );
      return stringMap(field(selector, 'matchLabels'));
    }
  }
}

/** `kubectl expose`. */
export class ExposeAction {
  constructor(private readonly options: ExposeOptions) {}

  /** Exposes what `args` names. */
  async run(args: readonly string[]): Promise<ExposeResult> {
    const { client, namespace = 'default', dryRun = 'none' } = this.options;
    const [type, name] = this.target(args);
    const [kind] = await resolveResource(client, type);
    const object = await client.get(kind!, namespace, name);
    if (!EXPOSABLE.has(`${kind!.group}/${kind!.kind}`))
      throw new Error(`cannot expose a ${kind!.group === '' ? kind!.kind : `${kind!.kind}.${kind!.group}`}`);
    const service = this.serviceFor(object);
    const serviceName = metaString(service, 'name');
    const line = `service/${serviceName} exposed${dryRunSuffix(dryRun)}`;
    if (dryRun === 'client') return { service, line };
    const created = await client.create(service, {
      namespace,
      fieldManager: 'kubectl-expose',
      ...(dryRun === 'server' ? { dryRun: true } : {}),
    });
    return { service: created, line };
  }

  /** `TYPE NAME` or `TYPE/NAME`. */
  private target(args: readonly string[]): [string, string] {
    if (args.length === 1 && args[0]!.includes('/')) {
      const [type = '', name = ''] = args[0]!.split('/', 2);
      if (name !== '') return [type, name];
    }
    if (args.length === 2 && !args[0]!.includes('/')) return [args[0]!, args[1]!];
    throw usageErrorOf(
      'expose',
      "You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'",
    );
  }

  /** The Service kubectl builds for `object`. */
  serviceFor(object: KubeObject): KubeObject {
    const o = this.options;
    const selector = o.selector ? parseLabelList(o.selector) : selectorOf(object);
    if (Object.keys(selector).length === 0) throw new Error('selector must be specified');
    const labels = o.labels ? parseLabelList(o.labels) : stringMap(field(object, 'metadata', 'labels'));
    const name = o.name || metaString(object, 'name');
    const introspected = portsOf(object);
    let portList: string[];
    if (o.port !== undefined && o.port !== '') portList = [o.port];
    else {
      portList = introspected.map((p) => p.port);
      if (portList.length === 0 && o.clusterIP !== 'None')
        throw usageErrorOf('expose', "couldn't find port via --port flag or introspection");
    }
    const ports: Record<string, unknown>[] = [];
    portList.forEach((text, i) => {
      const port = Number(text);
      if (!/^\d+$/.test(text) || port < 1 || port > 65535)
        throw new Error(`strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`);
      const many = portList.length > 1;
      const protocols = introspected.find((p) => p.port === text)?.protocols ?? [];
      if (!o.protocol && protocols.length > 1) {
        for (const protocol of protocols)
          ports.push({ name: `port-${i + 1}-${protocol.toLowerCase()}`, port, protocol });
        return;
      }
      ports.push({
        ...(many ? { name: `port-${i + 1}` } : {}),
        port,
        protocol: o.protocol || protocols[0] || 'TCP',
      });
    });
    const targetPort =
      o.targetPort === undefined || o.targetPort === ''
        ? undefined
        : /^\d+$/.test(o.targetPort)
          ? Number(o.targetPort)
          : o.targetPort;
    for (const p of ports) {
      p.targetPort = targetPort ?? p.port;
      if (o.nodePort !== undefined) p.nodePort = o.nodePort;
    }
    return {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, ...(Object.keys(labels).length > 0 ? { labels } : {}) },
      spec: {
        ...(o.clusterIP ? { clusterIP: o.clusterIP } : {}),
        ...(o.externalIP ? { externalIPs: [o.externalIP] } : {}),
        ports,
        selector,
        ...(o.sessionAffinity ? { sessionAffinity: o.sessionAffinity } : {}),
        ...(o.type ? { type: o.type } : {}),
      },
    };
  }
}

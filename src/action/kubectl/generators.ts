/**
 * The objects `kubectl create <kind> NAME …` builds (its generators): namespace, configmap and
 * secret generic (`--from-literal`, `--from-file`, `--from-env-file`), serviceaccount,
 * deployment (`--image`, `--replicas`, `--port`) and service clusterip|nodeport (`--tcp`).
 */

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readUserFile } from '../../internal/files.js';
import type { KubeObject } from '../../kube/index.js';
import { usageError } from './context.js';

/** Where `--from-*` data comes from. */
export interface DataSources {
  /** `--from-literal key=value`. @default [] */
  readonly fromLiteral?: readonly string[];
  /** `--from-file [key=]path` (a directory adds each of its files). @default [] */
  readonly fromFile?: readonly string[];
  /** `--from-env-file path`: `KEY=value` lines. @default [] */
  readonly fromEnvFile?: readonly string[];
  /** Directory relative paths are resolved against. */
  readonly cwd: string;
}

/** Reads `--from-*` into key/value pairs, refusing duplicate keys as kubectl does. */
export async function collectData(sources: DataSources, what: string): Promise<Record<string, string>> {
  const data: Record<string, string> = {};
  const add = (key: string, value: string) => {
    if (Object.hasOwn(data, key))
      throw usageError(`cannot add key ${key}, another key by that name already exists in Data for ${what}`);
    data[key] = value;
  };
  for (const literal of sources.fromLiteral ?? []) {
    const eq = literal.indexOf('=');
    if (eq <= 0) throw usageError(`invalid literal source ${literal}, expected key=value`);
    add(literal.slice(0, eq), literal.slice(eq + 1));
  }
  for (const spec of sources.fromFile ?? []) {
    const eq = spec.indexOf('=');
    const [key, file] = eq < 0 ? [undefined, spec] : [spec.slice(0, eq), spec.slice(eq + 1)];
    const full = path.resolve(sources.cwd, file);
    const stat = await fs.stat(full).catch(() => undefined);
    if (stat === undefined) throw usageError(`error reading ${file}: no such file or directory`);
    if (stat.isDirectory()) {
      if (key !== undefined) throw usageError('cannot give a key name for a directory path');
      const entries = await fs.readdir(full, { withFileTypes: true });
      for (const entry of entries
        .filter((e) => e.isFile())
        .map((e) => e.name)
        .sort())
        add(entry, await readUserFile(path.join(full, entry), '--from-file'));
    } else {
      add(key ?? path.basename(file), await readUserFile(full, '--from-file'));
    }
  }
  for (const file of sources.fromEnvFile ?? []) {
    const text = await readUserFile(path.resolve(sources.cwd, file), '--from-env-file');
    for (const [n, raw] of text.split(/\r?\n/).entries()) {
      const line = raw.trimStart();
      if (line === '' || line.startsWith('#')) continue;
      const eq = line.indexOf('=');
      if (eq <= 0) throw usageError(`${file}: line ${n + 1}: invalid environment variable: ${line}`);
      add(line.slice(0, eq), line.slice(eq + 1));
    }
  }
  return data;
}

/** A Namespace. */
export function namespaceObject(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

/** A ConfigMap holding `data`. */
export function configMapObject(name: string, data: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data };
}

/** A Secret holding `data` (base64-encoded here). */
export function secretObject(name: string, data: Record<string, string>, type = 'Opaque'): KubeObject {
  const encoded = Object.fromEntries(
    Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')]),
  );
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name }, type, data: encoded };
}

/** A ServiceAccount. */
export function serviceAccountObject(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } };
}

/** The container name kubectl derives from an image: last path part, tag and digest removed. */
export function containerNameOf(image: string): string {
  const last = image.split('/').pop() ?? image;
  return last.split('@')[0]!.split(':')[0]!.replaceAll('_', '-');
}

/** Options of {@link deploymentObject}. */
export interface DeploymentSpec {
  readonly images: readonly string[];
  /** @default 1 */
  readonly replicas?: number;
  readonly port?: number;
}

/** A Deployment labelled and selected by `app: NAME`, one container per image. */
export function deploymentObject(name: string, spec: DeploymentSpec): KubeObject {
  if (spec.images.length === 0) throw usageError('required flag(s) "image" not set');
  const labels = { app: name };
  const containers = spec.images.map((image) => ({
    name: containerNameOf(image),
    image,
    ...(spec.port === undefined ? {} : { ports: [{ containerPort: spec.port }] }),
  }));
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels },
    spec: {
      replicas: spec.replicas ?? 1,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers } },
    },
  };
}

/** Options of {@link serviceObject}. */
export interface ServiceSpec {
  readonly type: 'ClusterIP' | 'NodePort';
  /** `--tcp port[:targetPort]`. */
  readonly tcp: readonly string[];
  /** `--clusterip` (`None` for a headless service). */
  readonly clusterIP?: string;
  /** `--node-port`. */
  readonly nodePort?: number;
}

const portNumber = (text: string, spec: string): number => {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > 65535) throw usageError(`invalid port ${JSON.stringify(spec)}`);
  return n;
};

/** A Service selecting `app: NAME`, one TCP port per `--tcp`. */
export function serviceObject(name: string, spec: ServiceSpec): KubeObject {
  if (spec.tcp.length === 0 && spec.clusterIP !== 'None')
    throw usageError('at least one tcp port specifier must be provided');
  const ports = spec.tcp.map((t) => {
    const [p = '', target = p] = t.split(':');
    const port = portNumber(p, t);
    const targetPort = /^\d+$/.test(target) ? portNumber(target, t) : target;
    return {
      name: `${port}-${target}`,
      port,
      protocol: 'TCP',
      targetPort,
      ...(spec.nodePort === undefined ? {} : { nodePort: spec.nodePort }),
    };
  });
  const labels = { app: name };
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, labels },
    spec: {
      ...(spec.clusterIP === undefined ? {} : { clusterIP: spec.clusterIP }),
      ports,
      selector: labels,
      type: spec.type,
    },
  };
}

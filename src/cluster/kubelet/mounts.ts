/**
 * The files a container sees in its volumes, as the kubelet lays them out: ConfigMap and Secret
 * volumes (every key, or the `items` chosen, as `key -> ..data/key` links), downward API files,
 * projected volumes (the service account's `token`, `ca.crt`, `namespace`), and the files the
 * kubelet manages itself: `/etc/hosts`, `/etc/hostname`, `/etc/resolv.conf`. Contents are read
 * when asked for, so a changed ConfigMap shows in its volume (subPath mounts and environment
 * variables do not change, as in Kubernetes — the former is not modelled).
 */

import { createHash } from 'node:crypto';
import type { ClusterApi } from '../api/machinery/cluster-api.js';
import { isJsonObject, type JsonObject } from '../api/machinery/json-values.js';
import { ApiError } from '../api/types.js';
import { CLUSTER_DOMAIN, DNS_SERVICE_IP } from '../bootstrap/topology.js';
import type { DirectoryEntry } from '../images/types.js';
import type { KubeObject } from '../store/types.js';

const obj = (v: unknown): JsonObject => (isJsonObject(v) ? v : {});
const arr = (v: unknown): JsonObject[] => (Array.isArray(v) ? v.filter(isJsonObject) : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** A volume's files: relative path → content. */
type Files = Map<string, string>;

/** What a container can read. */
export interface MountedFiles {
  readFile(path: string): string | undefined;
  listDir(path: string): readonly DirectoryEntry[] | undefined;
}

const base64url = (text: string): string => Buffer.from(text).toString('base64url');

/** A service account token as the kubelet projects it (a JWT; its signature is not a real one). */
function serviceAccountToken(pod: KubeObject, expirationSeconds: number): string {
  const meta = obj(pod.metadata);
  const spec = obj(pod.spec);
  const namespace = str(meta.namespace);
  const account = str(spec.serviceAccountName) || 'default';
  const issued = Math.floor(Date.parse(str(meta.creationTimestamp)) / 1000) || 0;
  const header = {
    alg: 'RS256',
    kid: createHash('sha256').update('sa-signing-key').digest('base64url').slice(0, 43),
  };
  const payload = {
    aud: [`https://kubernetes.default.svc.${CLUSTER_DOMAIN}`],
    exp: issued + expirationSeconds,
    iat: issued,
    iss: `https://kubernetes.default.svc.${CLUSTER_DOMAIN}`,
    jti: str(meta.uid),
    'kubernetes.io': {
      namespace,
      node: { name: str(spec.nodeName) },
      pod: { name: str(meta.name), uid: str(meta.uid) },
      serviceaccount: { name: account },
    },
    nbf: issued,
    sub: `system:serviceaccount:${namespace}:${account}`,
  };
  const body = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  const signature = createHash('sha512').update(body).digest('base64url');
  return `${body}.${signature}${signature.slice(0, 86)}`;
}

/** The downward API value of a field (for `downwardAPI` volume items). */
function downwardValue(pod: KubeObject, item: JsonObject): string {
  const fieldPath = str(obj(item.fieldRef).fieldPath);
  const meta = obj(pod.metadata);
  const format = (m: JsonObject): string =>
    Object.keys(m)
      .sort()
      .map((k) => `${k}=${JSON.stringify(str(m[k]))}`)
      .join('\n');
  switch (fieldPath) {
    case 'metadata.name':
      return str(meta.name);
    case 'metadata.namespace':
      return str(meta.namespace);
    case 'metadata.uid':
      return str(meta.uid);
    case 'metadata.labels':
      return format(obj(meta.labels));
    case 'metadata.annotations':
      return format(obj(meta.annotations));
  }
  const m = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(fieldPath);
  return m === null ? '' : str(obj(meta[m[1]!])[m[2]!]);
}

/** Builds the files of each volume the container mounts, and the kubelet's own files. */
export function mountedFiles(api: ClusterApi, pod: KubeObject, container: JsonObject): MountedFiles {
  const meta = obj(pod.metadata);
  const spec = obj(pod.spec);
  const namespace = str(meta.namespace) || 'default';
  const read = (resource: string, name: string): KubeObject | undefined => {
    try {
      return api.get(resource, namespace, name);
    } catch (error) {
      if (error instanceof ApiError) return undefined;
      throw error;
    }
  };
  const dataOf = (kind: 'configmaps' | 'secrets', name: string): Record<string, string> | undefined => {
    const object = read(kind, name);
    if (object === undefined) return undefined;
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(obj(object.data))) {
      out[k] = kind === 'secrets' ? Buffer.from(str(v), 'base64').toString('utf8') : str(v);
    }
    return out;
  };
  const keyed = (files: Files, data: Record<string, string> | undefined, items: JsonObject[]): void => {
    if (data === undefined) return;
    if (items.length === 0) for (const [k, v] of Object.entries(data)) files.set(k, v);
    else for (const item of items) if (str(item.key) in data) files.set(str(item.path), data[str(item.key)]!);
  };
  const volumeFiles = (volume: JsonObject): Files | undefined => {
    const files: Files = new Map();
    if (isJsonObject(volume.configMap)) {
      keyed(files, dataOf('configmaps', str(volume.configMap.name)), arr(volume.configMap.items));
    } else if (isJsonObject(volume.secret)) {
      keyed(files, dataOf('secrets', str(volume.secret.secretName)), arr(volume.secret.items));
    } else if (isJsonObject(volume.downwardAPI)) {
      for (const item of arr(volume.downwardAPI.items)) files.set(str(item.path), downwardValue(pod, item));
    } else if (isJsonObject(volume.projected)) {
      for (const source of arr(volume.projected.sources)) {
        if (isJsonObject(source.configMap)) {
          keyed(files, dataOf('configmaps', str(source.configMap.name)), arr(source.configMap.items));
        } else if (isJsonObject(source.secret)) {
          keyed(files, dataOf('secrets', str(source.secret.name)), arr(source.secret.items));
        } else if (isJsonObject(source.downwardAPI)) {
          for (const item of arr(source.downwardAPI.items))
            files.set(str(item.path), downwardValue(pod, item));
        } else if (isJsonObject(source.serviceAccountToken)) {
          const token = source.serviceAccountToken;
          const seconds = typeof token.expirationSeconds === 'number' ? token.expirationSeconds : 3607;
          files.set(str(token.path) || 'token', serviceAccountToken(pod, seconds));
        }
      }
    } else {
      return undefined;
    }
    return files;
  };
  const volumes = new Map(arr(spec.volumes).map((v) => [str(v.name), v]));
  const mounts = arr(container.volumeMounts)
    .map((m) => ({
      path: str(m.mountPath).replace(/\/+$/, '') || '/',
      volume: volumes.get(str(m.name)),
      subPath: str(m.subPath),
    }))
    .filter((m) => m.volume !== undefined)
    .sort((a, b) => b.path.length - a.path.length);
  const own = (): Files => {
    const podIP = str(obj(pod.status).podIP);
    const hostname = str(spec.hostname) || str(meta.name);
    const subdomain = str(spec.subdomain);
    const names =
      subdomain === ''
        ? hostname
        : `${hostname}.${subdomain}.${namespace}.svc.${CLUSTER_DOMAIN}\t${hostname}`;
    const hosts = [
      '# Kubernetes-managed hosts file.',
      '127.0.0.1\tlocalhost',
      '::1\tlocalhost ip6-localhost ip6-loopback',
      'fe00::0\tip6-localnet',
      'fe00::0\tip6-mcastprefix',
      'fe00::1\tip6-allnodes',
      'fe00::2\tip6-allrouters',
      ...(podIP === '' ? [] : [`${podIP}\t${names}`]),
    ];
    const policy = str(spec.dnsPolicy) || 'ClusterFirst';
    const cluster =
      policy === 'ClusterFirstWithHostNet' || (policy === 'ClusterFirst' && spec.hostNetwork !== true);
    const resolv = cluster
      ? `search ${namespace}.svc.${CLUSTER_DOMAIN} svc.${CLUSTER_DOMAIN} ${CLUSTER_DOMAIN}\nnameserver ${DNS_SERVICE_IP}\noptions ndots:5\n`
      : 'nameserver 10.0.0.2\nsearch .\n';
    return new Map([
      ['etc/hosts', `${hosts.join('\n')}\n`],
      ['etc/hostname', `${hostname}\n`],
      ['etc/resolv.conf', resolv],
    ]);
  };
  const locate = (path: string): { files: Files; rel: string } | undefined => {
    const clean = `/${path
      .split('/')
      .filter((p) => p !== '' && p !== '.')
      .join('/')}`;
    for (const m of mounts) {
      if (clean !== m.path && !clean.startsWith(m.path === '/' ? '/' : `${m.path}/`)) continue;
      const files = volumeFiles(m.volume!);
      if (files === undefined) return undefined;
      let rel = clean.slice(m.path.length).replace(/^\//, '');
      if (m.subPath !== '') rel = rel === '' ? m.subPath : `${m.subPath}/${rel}`;
      return { files, rel };
    }
    if (['/etc/hosts', '/etc/hostname', '/etc/resolv.conf'].includes(clean))
      return { files: own(), rel: clean.slice(1) };
    return undefined;
  };
  return {
    readFile(path) {
      const found = locate(path);
      return found === undefined ? undefined : found.files.get(found.rel);
    },
    listDir(path) {
      const found = locate(path);
      if (found === undefined) return undefined;
      const prefix = found.rel === '' ? '' : `${found.rel}/`;
      const entries = new Map<string, DirectoryEntry>();
      for (const [file, content] of found.files) {
        if (!file.startsWith(prefix)) continue;
        const rest = file.slice(prefix.length);
        const slash = rest.indexOf('/');
        if (slash >= 0) {
          const name = rest.slice(0, slash);
          entries.set(name, { name, directory: true });
        } else if (prefix === '') {
          entries.set(rest, { name: rest, target: `..data/${rest}`, size: Buffer.byteLength(content) });
        } else {
          entries.set(rest, { name: rest, size: Buffer.byteLength(content) });
        }
      }
      if (entries.size === 0 && found.files.has(found.rel)) return undefined;
      return [...entries.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
    },
  };
}

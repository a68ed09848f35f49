/**
 * The kubeconfig file of a `$BOSUN_HOME` (`$BOSUN_HOME/kubeconfig`, kubectl's format): read,
 * created with the embedded cluster's one context on first use, and rewritten when a context
 * changes (`kubectl config set-context`, `use-context`).
 */

import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from '../internal/errors.js';
import { parseYaml, toYaml } from '../internal/yaml.js';

/** One named context. */
export interface KubeconfigContext {
  readonly name: string;
  readonly cluster: string;
  readonly user: string;
  readonly namespace?: string;
}

/** A named cluster. */
export interface KubeconfigCluster {
  readonly name: string;
  readonly server: string;
}

/** A kubeconfig, in the parts bosun uses; `raw` keeps every other field as read. */
export interface Kubeconfig {
  readonly clusters: readonly KubeconfigCluster[];
  readonly users: readonly string[];
  readonly contexts: readonly KubeconfigContext[];
  readonly currentContext: string;
}

const EMBEDDED = 'bosun';
const EMBEDDED_USER = 'bosun-admin';

/** The embedded cluster's kubeconfig as first written. */
export const DEFAULT_KUBECONFIG: Kubeconfig = {
  clusters: [{ name: EMBEDDED, server: 'https://127.0.0.1:6443' }],
  users: [EMBEDDED_USER],
  contexts: [{ name: EMBEDDED, cluster: EMBEDDED, user: EMBEDDED_USER, namespace: 'default' }],
  currentContext: EMBEDDED,
};

/** `$BOSUN_HOME/kubeconfig`. */
export function kubeconfigPath(home: string): string {
  return path.join(home, 'kubeconfig');
}

const rec = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const list = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.map(rec) : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Reads the kubeconfig of `home`, writing the default one first when there is none. */
export function readKubeconfig(home: string): Kubeconfig {
  const file = kubeconfigPath(home);
  if (!existsSync(file)) {
    writeKubeconfig(home, DEFAULT_KUBECONFIG);
    return DEFAULT_KUBECONFIG;
  }
  const doc = rec(parseYaml(readFileSync(file, 'utf8'), file));
  if (doc.kind !== undefined && doc.kind !== 'Config')
    throw new InvalidArgumentError(`${file}: not a kubeconfig (kind ${JSON.stringify(doc.kind)})`);
  return {
    clusters: list(doc.clusters).map((c) => ({ name: str(c.name), server: str(rec(c.cluster).server) })),
    users: list(doc.users).map((u) => str(u.name)),
    contexts: list(doc.contexts).map((c) => {
      const ctx = rec(c.context);
      const namespace = str(ctx.namespace);
      return {
        name: str(c.name),
        cluster: str(ctx.cluster),
        user: str(ctx.user),
        ...(namespace === '' ? {} : { namespace }),
      };
    }),
    currentContext: str(doc['current-context']),
  };
}

/** The kubeconfig as kubectl writes it (`kubectl config view` prints the same). */
export function kubeconfigYaml(config: Kubeconfig): string {
  const doc = {
    apiVersion: 'v1',
    clusters: config.clusters.map((c) => ({ cluster: { server: c.server }, name: c.name })),
    contexts: config.contexts.map((c) => ({
      context: { cluster: c.cluster, ...(c.namespace ? { namespace: c.namespace } : {}), user: c.user },
      name: c.name,
    })),
    'current-context': config.currentContext,
    kind: 'Config',
    preferences: {},
    users: config.users.map((name) => ({ name, user: {} })),
  };
  return `${toYaml(doc)}\n`;
}

/** Writes the kubeconfig of `home` (atomically: a temporary file renamed over it). */
export function writeKubeconfig(home: string, config: Kubeconfig): void {
  mkdirSync(home, { recursive: true });
  const file = kubeconfigPath(home);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, kubeconfigYaml(config), { mode: 0o600 });
  renameSync(tmp, file);
}

/** The current context, if the kubeconfig has it. */
export function currentContextOf(config: Kubeconfig): KubeconfigContext | undefined {
  return config.contexts.find((c) => c.name === config.currentContext);
}

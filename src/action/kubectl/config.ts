/**
 * `kubectl config …` on the kubeconfig of a `$BOSUN_HOME`: `get-contexts`, `current-context`,
 * `set-context [NAME | --current] --namespace/--cluster/--user`, `use-context`, `view`.
 */

import { type KubeconfigContext, kubeconfigYaml, readKubeconfig, writeKubeconfig } from '../../kube/index.js';
import { usageError } from './context.js';

/** The rows of `kubectl config get-contexts` (header first). */
export function getContexts(home: string, names: readonly string[] = []): string[][] {
  const config = readKubeconfig(home);
  const rows = [['CURRENT', 'NAME', 'CLUSTER', 'AUTHINFO', 'NAMESPACE']];
  for (const name of names) {
    if (!config.contexts.some((c) => c.name === name)) throw usageError(`context ${name} not found`);
  }
  for (const c of config.contexts) {
    if (names.length > 0 && !names.includes(c.name)) continue;
    rows.push([c.name === config.currentContext ? '*' : '', c.name, c.cluster, c.user, c.namespace ?? '']);
  }
  return rows;
}

/** `kubectl config current-context`. */
export function currentContext(home: string): string {
  const name = readKubeconfig(home).currentContext;
  if (name === '') throw usageError('current-context is not set');
  return name;
}

/** What `set-context` changes. */
export interface ContextChanges {
  readonly namespace?: string;
  readonly cluster?: string;
  readonly user?: string;
}

/** `kubectl config set-context NAME|--current`; returns kubectl's line (`Context "bosun" modified.`). */
export function setContext(home: string, name: string | undefined, changes: ContextChanges): string {
  const config = readKubeconfig(home);
  const target = name ?? config.currentContext;
  if (target === '') throw usageError('you must specify a non-empty context name or --current');
  const existing = config.contexts.find((c) => c.name === target);
  const base: KubeconfigContext = existing ?? { name: target, cluster: '', user: '' };
  const next: KubeconfigContext = {
    name: target,
    cluster: changes.cluster ?? base.cluster,
    user: changes.user ?? base.user,
    ...((changes.namespace ?? base.namespace) ? { namespace: changes.namespace ?? base.namespace } : {}),
  };
  const contexts = existing
    ? config.contexts.map((c) => (c.name === target ? next : c))
    : [...config.contexts, next];
  writeKubeconfig(home, { ...config, contexts });
  return `Context "${target}" ${existing ? 'modified' : 'created'}.`;
}

/** `kubectl config use-context NAME`; returns kubectl's line. */
export function useContext(home: string, name: string): string {
  const config = readKubeconfig(home);
  if (!config.contexts.some((c) => c.name === name))
    throw usageError(`no context exists with the name: "${name}"`);
  writeKubeconfig(home, { ...config, currentContext: name });
  return `Switched to context "${name}".`;
}

/** `kubectl config view`. */
export function viewConfig(home: string): string {
  return kubeconfigYaml(readKubeconfig(home));
}

/** The namespace of the current context (`default` when it names none). */
export function contextNamespace(home: string): string {
  const config = readKubeconfig(home);
  return config.contexts.find((c) => c.name === config.currentContext)?.namespace || 'default';
}

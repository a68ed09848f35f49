/**
 * What the release commands (install, upgrade, list, history, status, get, …) share: the
 * embedded cluster of `$BOSUN_HOME` opened for one command, release storage as Secrets in the
 * release namespace (`-n`, else the current context's), and notices on stderr.
 *
 * `BOSUN_NOW` (an RFC 3339 time) pins the wall clock the cluster follows, so a scenario replays
 * with the same timestamps (tests, documentation).
 */

import type { ReleaseContext } from '../../action/release/context.js';
import { InvalidArgumentError } from '../../internal/errors.js';
import type { CliIO } from '../io.js';

/** The wall clock of a command: `BOSUN_NOW` when set, else the system clock. */
export function wallClockOf(io: CliIO): (() => Date) | undefined {
  const pinned = io.env.BOSUN_NOW;
  if (pinned === undefined || pinned === '') return undefined;
  const at = new Date(pinned);
  if (Number.isNaN(at.getTime()))
    throw new InvalidArgumentError(`BOSUN_NOW: "${pinned}" is not an RFC 3339 time`);
  return () => at;
}

/** Options of {@link withReleaseContext}. */
export interface ReleaseSessionOptions {
  /** `-n`; the current context's namespace when absent. */
  readonly namespace?: string | undefined;
}

/**
 * Opens the cluster, builds the release context, runs `fn`, and closes the cluster (which lets
 * the controllers play out what `fn` changed). Ctrl-C aborts the context's signal.
 */
export async function withReleaseContext<T>(
  io: CliIO,
  options: ReleaseSessionOptions,
  fn: (ctx: ReleaseContext) => Promise<T>,
): Promise<T> {
  // Loaded here, not at the top: they bring in the cluster, which most commands never touch.
  const [{ contextNamespace }, { bosunHome, openEmbeddedCluster }, { createStorage, SecretDriver }] =
    await Promise.all([
      import('../../action/kubectl/config.js'),
      import('../../kube/index.js'),
      import('../../storage/index.js'),
    ]);
  const home = bosunHome(io.env);
  const namespace = options.namespace ?? contextNamespace(home);
  const wallClock = wallClockOf(io);
  const cluster = openEmbeddedCluster(home, wallClock ? { wallClock } : {});
  const abort = new AbortController();
  const stopListening = io.onInterrupt?.(() => abort.abort());
  try {
    const ctx: ReleaseContext = {
      client: cluster.client,
      namespace,
      storage: createStorage(new SecretDriver(cluster.client, namespace)),
      allNamespaces: createStorage(new SecretDriver(cluster.client, '')),
      notice: (line) => io.stderr.write(`${line}\n`),
      signal: abort.signal,
      ...(io.env.BOSUN_RELEASE_LEASE_SECONDS
        ? { leaseSeconds: Number(io.env.BOSUN_RELEASE_LEASE_SECONDS) }
        : {}),
    };
    return await fn(ctx);
  } finally {
    stopListening?.();
    cluster.close();
  }
}

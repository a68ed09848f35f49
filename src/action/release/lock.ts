/**
 * The release lock: one `coordination.k8s.io/v1` Lease per release in the release namespace, so
 * two operations on one release cannot overlap.
 *
 * Helm's only guard is the `pending-*` status of the last revision plus a Secret create that
 * fails when the revision already exists (`pkg/action/upgrade.go`, `errPending`). A client killed
 * with SIGKILL leaves `pending-upgrade` behind for good, and every later upgrade fails with
 * `another operation (install/upgrade/rollback) is in progress` until someone deletes the Secret
 * by hand. A Lease expires instead: a crashed holder's lock is taken over once its
 * `renewTime + leaseDurationSeconds` has passed, or at once when the holder ran on this host and
 * its PID no longer exists.
 *
 * Times are this process's wall clock, never the cluster's: the lock is between real processes,
 * while the embedded cluster's virtual clock jumps ahead during waits.
 */

import { hostname } from 'node:os';
import { ReleaseInProgressError } from '../../internal/errors.js';
import { KubeApiError, type KubeObject } from '../../kube/index.js';
import type { ReleaseContext } from './context.js';

/** The operations that take the release lock. */
export type ReleaseOperation = 'install' | 'upgrade' | 'rollback' | 'uninstall' | 'test';

/** Who held a lock before it was taken over. */
export interface LockTakeover {
  readonly holder: string;
  readonly operation: string;
  /** When the previous holder acquired the lock (MicroTime), `''` when the Lease did not say. */
  readonly since: string;
  /** Why it was taken over: its lease had run out, or its process on this host is gone. */
  readonly reason: 'expired' | 'dead';
}

/** A held lock. */
export interface ReleaseLock {
  /** The holder this lock took over from, when the previous holder had died or its lease expired. */
  readonly tookOver?: LockTakeover;
  /** Extends the lease (call during long waits; cheap when not due: renews only past half the duration). */
  renew(): Promise<void>;
  /** Gives the lock up (idempotent; deletes the Lease if still ours). */
  release(): Promise<void>;
}

/** The resource of the lock's Lease. */
const LEASES = 'leases.coordination.k8s.io';
/** The annotation naming the operation that holds the lock. */
export const OPERATION_ANNOTATION = 'bosun.io/operation';
/** How long a lock lasts without renewal when the context does not say. */
const DEFAULT_LEASE_SECONDS = 60;
/** How often a lock operation retries after the Lease changed or vanished under it. */
const ACQUIRE_ATTEMPTS = 5;

/** The name of a release's lock Lease: `bosun.release.<release>` (a DNS subdomain). */
export function leaseName(release: string): string {
  return `bosun.release.${release}`;
}

/** The default holder identity: `bosun-<pid>@<hostname>`. */
export function defaultHolder(): string {
  return `bosun-${process.pid}@${hostname()}`;
}

/** One line for the user about a lock taken over (`ctx.notice`). */
export function takeoverNotice(release: string, takeover: LockTakeover): string {
  const why = takeover.reason === 'dead' ? 'its process no longer exists' : 'its lease expired';
  const since = takeover.since === '' ? '' : ` since ${takeover.since}`;
  return `took over the lock of release "${release}" from ${takeover.holder} (${takeover.operation}${since}): ${why}`;
}

/** Kubernetes' MicroTime: RFC 3339 with six fractional digits (`2026-11-27T15:24:00.776000Z`). */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/**
 * Takes the lock of release `name` for `operation`, or throws `ReleaseInProgressError` while
 * another live holder has it. A lock whose lease ran out, or whose holder was a process on this
 * host that no longer exists, is taken over (reported in `tookOver`). Two processes racing to
 * take over the same stale lock both update with the resourceVersion they read, so exactly one
 * wins. A missing namespace surfaces as the cluster's `namespaces "x" not found`.
 */
export async function acquireReleaseLock(
  ctx: ReleaseContext,
  name: string,
  operation: ReleaseOperation,
): Promise<ReleaseLock> {
  const holder = ctx.holder ?? defaultHolder();
  const seconds = ctx.leaseSeconds ?? DEFAULT_LEASE_SECONDS;
  for (let attempt = 1; ; attempt++) {
    const now = Date.now();
    try {
      const created = await ctx.client.create(newLease(ctx.namespace, name, operation, holder, seconds, now));
      return new HeldLock(ctx, name, holder, seconds, created, now);
    } catch (error) {
      if (!isReason(error, 'AlreadyExists')) throw error;
    }
    let current: KubeObject;
    try {
      current = await ctx.client.get(LEASES, ctx.namespace, leaseName(name));
    } catch (error) {
      // Released between our create and our read: try creating again.
      if (isReason(error, 'NotFound') && attempt < ACQUIRE_ATTEMPTS) continue;
      throw error;
    }
    const stale = staleness(current, holder, Date.now());
    if (stale === undefined) throw inProgress(current);
    const takeover: LockTakeover = { ...describeHolder(current), reason: stale };
    const takenAt = Date.now();
    const spec = specOf(current);
    const transitions = typeof spec.leaseTransitions === 'number' ? spec.leaseTransitions : 0;
    const replaced = newLease(ctx.namespace, name, operation, holder, seconds, takenAt, transitions + 1);
    let updated: KubeObject;
    try {
      // The read resourceVersion makes this a compare-and-swap: of two racing takeovers one wins.
      updated = await ctx.client.update({
        ...replaced,
        metadata: { ...(replaced.metadata as Record<string, unknown>), resourceVersion: rvOf(current) },
      });
    } catch (error) {
      // Released between our read and our update: try creating again.
      if (isReason(error, 'NotFound') && attempt < ACQUIRE_ATTEMPTS) continue;
      if (isReason(error, 'Conflict') || isReason(error, 'NotFound')) throw await lostRace(ctx, name, error);
      throw error;
    }
    return new HeldLock(ctx, name, holder, seconds, updated, takenAt, takeover);
  }
}

/** A lock this process holds; its operations run one at a time. */
class HeldLock implements ReleaseLock {
  readonly tookOver?: LockTakeover;
  private lease: KubeObject;
  private lastRenew: number;
  private released = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly ctx: ReleaseContext,
    private readonly releaseName: string,
    private readonly holder: string,
    private readonly seconds: number,
    lease: KubeObject,
    renewedAt: number,
    tookOver?: LockTakeover,
  ) {
    this.lease = lease;
    this.lastRenew = renewedAt;
    if (tookOver !== undefined) this.tookOver = tookOver;
  }

  renew(): Promise<void> {
    return this.serial(async () => {
      if (this.released) return;
      if (Date.now() - this.lastRenew < (this.seconds * 1000) / 2) return;
      await this.write();
    });
  }

  release(): Promise<void> {
    return this.serial(async () => {
      if (this.released) return;
      const client = this.ctx.client;
      const name = leaseName(this.releaseName);
      let current: KubeObject;
      try {
        current = await client.get(LEASES, this.ctx.namespace, name);
      } catch (error) {
        if (!isReason(error, 'NotFound')) throw error;
        this.released = true;
        return;
      }
      if (specOf(current).holderIdentity !== this.holder) {
        this.released = true;
        return;
      }
      // Deletes take no resourceVersion precondition through this client, so the Lease is first
      // renewed with a compare-and-swap: a takeover that got in since the read makes it fail
      // (the Lease is no longer ours), and a freshly renewed lease cannot be taken over before
      // the delete that follows.
      try {
        await client.update(withRenewTime(current, Date.now()));
      } catch (error) {
        if (!isReason(error, 'Conflict') && !isReason(error, 'NotFound')) throw error;
        this.released = true;
        return;
      }
      try {
        await client.delete(LEASES, this.ctx.namespace, name);
      } catch (error) {
        if (!isReason(error, 'NotFound')) throw error;
      }
      this.released = true;
    });
  }

  /** Writes a new renewTime; recovers from a foreign edit or a deleted Lease while it is still ours. */
  private async write(): Promise<void> {
    const client = this.ctx.client;
    for (let attempt = 1; ; attempt++) {
      const now = Date.now();
      try {
        this.lease = await client.update(withRenewTime(this.lease, now));
        this.lastRenew = now;
        return;
      } catch (error) {
        if (isReason(error, 'NotFound')) {
          await this.recreate(now);
          return;
        }
        if (!isReason(error, 'Conflict') || attempt >= ACQUIRE_ATTEMPTS) throw error;
        // Changed under us: still ours (a label or annotation edit) → retry on the fresh copy.
        let current: KubeObject;
        try {
          current = await client.get(LEASES, this.ctx.namespace, leaseName(this.releaseName));
        } catch (readError) {
          if (!isReason(readError, 'NotFound')) throw readError;
          await this.recreate(Date.now());
          return;
        }
        if (specOf(current).holderIdentity !== this.holder) {
          this.released = true;
          throw inProgress(current, 'the lock was taken over: ');
        }
        this.lease = current;
      }
    }
  }

  /** Someone deleted the Lease: nobody holds the lock, so hold it again (unless another got in first). */
  private async recreate(now: number): Promise<void> {
    const operation = annotationsOf(this.lease)[OPERATION_ANNOTATION] ?? 'unknown';
    const { namespace } = this.ctx;
    const fresh = newLease(namespace, this.releaseName, operation, this.holder, this.seconds, now);
    const acquired = specOf(this.lease).acquireTime;
    if (typeof acquired === 'string') (fresh.spec as Record<string, unknown>).acquireTime = acquired;
    try {
      this.lease = await this.ctx.client.create(fresh);
      this.lastRenew = now;
    } catch (error) {
      if (!isReason(error, 'AlreadyExists')) throw error;
      this.released = true;
      throw await lostRace(this.ctx, this.releaseName, error);
    }
  }

  private serial(step: () => Promise<void>): Promise<void> {
    const next = this.queue.then(step, step);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

/** A Lease for `holder`, acquired and renewed at `now`. */
function newLease(
  namespace: string,
  release: string,
  operation: string,
  holder: string,
  seconds: number,
  now: number,
  transitions = 0,
): KubeObject {
  const time = microTime(now);
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: leaseName(release),
      namespace,
      labels: { name: release, owner: 'bosun' },
      annotations: { [OPERATION_ANNOTATION]: operation },
    },
    spec: {
      holderIdentity: holder,
      leaseDurationSeconds: seconds,
      acquireTime: time,
      renewTime: time,
      leaseTransitions: transitions,
    },
  };
}

/** `lease` with its renewTime at `now` (keeping its resourceVersion: a compare-and-swap). */
function withRenewTime(lease: KubeObject, now: number): KubeObject {
  return { ...lease, spec: { ...specOf(lease), renewTime: microTime(now) } };
}

/**
 * Why a Lease held by someone may be taken over at `now`, or undefined while it is held: its
 * lease ran out (`expired`), or its holder is a process on this host that no longer exists
 * (`dead`). A Lease held by `self` (this very process) is never dead.
 */
function staleness(lease: KubeObject, self: string, now: number): 'expired' | 'dead' | undefined {
  const spec = specOf(lease);
  const holder = typeof spec.holderIdentity === 'string' ? spec.holderIdentity : '';
  if (holder === '') return 'expired';
  const renewed = Date.parse(String(spec.renewTime ?? spec.acquireTime ?? ''));
  const seconds =
    typeof spec.leaseDurationSeconds === 'number' ? spec.leaseDurationSeconds : DEFAULT_LEASE_SECONDS;
  if (Number.isNaN(renewed) || renewed + seconds * 1000 <= now) return 'expired';
  if (holder !== self && !holderAlive(holder)) return 'dead';
  return undefined;
}

/**
 * Whether the holder may still be running. Only a `bosun-<pid>@<host>` holder on this host can be
 * checked (signal 0 tests that the PID exists; EPERM means it exists under another user); any
 * other holder counts as alive until its lease runs out.
 */
function holderAlive(holder: string): boolean {
  const match = /^bosun-(\d+)@(.+)$/.exec(holder);
  if (match === null || match[2] !== hostname()) return true;
  const pid = Number(match[1]);
  if (!Number.isSafeInteger(pid) || pid <= 0) return true;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** Who holds a Lease, for messages and `tookOver`. */
function describeHolder(lease: KubeObject): Omit<LockTakeover, 'reason'> {
  const spec = specOf(lease);
  return {
    holder: typeof spec.holderIdentity === 'string' ? spec.holderIdentity : '',
    operation: annotationsOf(lease)[OPERATION_ANNOTATION] ?? 'unknown',
    since: String(spec.acquireTime ?? spec.renewTime ?? ''),
  };
}

/**
 * Helm's in-progress error, naming the holder in a second clause on the same line:
 * `another operation (install/upgrade/rollback) is in progress (upgrade by bosun-4242@host since …)`.
 */
function inProgress(lease: KubeObject, prefix = ''): ReleaseInProgressError {
  const { holder, operation, since } = describeHolder(lease);
  const when = since === '' ? '' : ` since ${since}`;
  return new ReleaseInProgressError(
    `another operation (install/upgrade/rollback) is in progress (${prefix}${operation} by ${holder}${when})`,
  );
}

/** The error of a takeover or re-create that another process won: in progress, naming the winner. */
async function lostRace(ctx: ReleaseContext, release: string, cause: unknown): Promise<Error> {
  try {
    return inProgress(await ctx.client.get(LEASES, ctx.namespace, leaseName(release)));
  } catch {
    return new ReleaseInProgressError(undefined, { cause });
  }
}

function isReason(error: unknown, reason: string): boolean {
  return error instanceof KubeApiError && error.reason === reason;
}

function specOf(lease: KubeObject): Record<string, unknown> {
  const spec = lease.spec;
  return spec !== null && typeof spec === 'object' ? (spec as Record<string, unknown>) : {};
}

function metaOf(lease: KubeObject): Record<string, unknown> {
  const meta = lease.metadata;
  return meta !== null && typeof meta === 'object' ? (meta as Record<string, unknown>) : {};
}

function annotationsOf(lease: KubeObject): Record<string, string> {
  const annotations = metaOf(lease).annotations;
  return annotations !== null && typeof annotations === 'object'
    ? (annotations as Record<string, string>)
    : {};
}

function rvOf(lease: KubeObject): string {
  return String(metaOf(lease).resourceVersion ?? '');
}

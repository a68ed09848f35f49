import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ReleaseContext } from '../../../src/action/release/context.js';
import {
  acquireReleaseLock,
  defaultHolder,
  leaseName,
  microTime,
  takeoverNotice,
} from '../../../src/action/release/lock.js';
import { ReleaseInProgressError } from '../../../src/internal/errors.js';
import {
  type EmbeddedCluster,
  KubeApiError,
  type KubeClient,
  type KubeObject,
  openEmbeddedCluster,
} from '../../../src/kube/index.js';
import type { Storage } from '../../../src/storage/storage.js';
import { useEmbeddedCluster } from '../../helpers/embedded-cluster.js';

const LEASES = 'leases.coordination.k8s.io';
const HELM_IN_PROGRESS = 'another operation (install/upgrade/rollback) is in progress';

const newClient = useEmbeddedCluster();

afterEach(() => {
  vi.restoreAllMocks();
});

function context(client: KubeClient, extra: Partial<ReleaseContext> = {}): ReleaseContext {
  return { client, namespace: 'default', storage: {} as Storage, ...extra };
}

/** Moves this process's wall clock `ms` ahead (the lock reads `Date.now()`). */
function jumpWallClock(ms: number): void {
  const real = Date.now.bind(Date);
  vi.spyOn(Date, 'now').mockImplementation(() => real() + ms);
}

async function readLease(client: KubeClient, release: string): Promise<KubeObject> {
  return client.get(LEASES, 'default', leaseName(release));
}

function spec(lease: KubeObject): Record<string, unknown> {
  return lease.spec as Record<string, unknown>;
}

function meta(lease: KubeObject): Record<string, unknown> {
  return lease.metadata as Record<string, unknown>;
}

/** A Lease written directly, as a crashed process would have left it. */
async function leftBehind(
  client: KubeClient,
  release: string,
  holder: string,
  renewedMsAgo: number,
  operation = 'upgrade',
): Promise<KubeObject> {
  const time = microTime(Date.now() - renewedMsAgo);
  return client.create({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: leaseName(release),
      namespace: 'default',
      labels: { name: release, owner: 'bosun' },
      annotations: { 'bosun.io/operation': operation },
    },
    spec: {
      holderIdentity: holder,
      leaseDurationSeconds: 60,
      acquireTime: time,
      renewTime: time,
      leaseTransitions: 2,
    },
  });
}

/** The PID of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', () => resolve());
  });
  expect(child.pid).toBeTypeOf('number');
  return child.pid!;
}

async function inProgressError(promise: Promise<unknown>): Promise<ReleaseInProgressError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ReleaseInProgressError);
  return error as ReleaseInProgressError;
}

describe('acquireReleaseLock', () => {
  it('creates the Lease bosun.release.<release> with holder, duration, MicroTimes and labels', async () => {
    const client = newClient();
    const before = Date.now();
    const lock = await acquireReleaseLock(
      context(client, { holder: 'a', leaseSeconds: 30 }),
      'r1',
      'install',
    );
    expect(lock.tookOver).toBeUndefined();
    const lease = await readLease(client, 'r1');
    expect(meta(lease).labels).toEqual({ name: 'r1', owner: 'bosun' });
    expect(meta(lease).annotations).toEqual({ 'bosun.io/operation': 'install' });
    const s = spec(lease);
    expect(s.holderIdentity).toBe('a');
    expect(s.leaseDurationSeconds).toBe(30);
    expect(s.leaseTransitions).toBe(0);
    expect(s.acquireTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(s.renewTime).toBe(s.acquireTime);
    // The process's wall clock, not the embedded cluster's fixed 2025 clock.
    const acquired = Date.parse(String(s.acquireTime));
    expect(acquired).toBeGreaterThanOrEqual(before);
    expect(acquired).toBeLessThanOrEqual(Date.now());
  });

  it('defaults to holder bosun-<pid>@<hostname> and a 60 s lease', async () => {
    const client = newClient();
    expect(defaultHolder()).toBe(`bosun-${process.pid}@${hostname()}`);
    await acquireReleaseLock(context(client), 'r1', 'upgrade');
    const s = spec(await readLease(client, 'r1'));
    expect(s.holderIdentity).toBe(defaultHolder());
    expect(s.leaseDurationSeconds).toBe(60);
  });

  it('fails a second operation with "another operation (install/upgrade/rollback) is in progress"', async () => {
    const client = newClient();
    await acquireReleaseLock(context(client, { holder: 'bosun-4242@elsewhere' }), 'r1', 'upgrade');
    const error = await inProgressError(
      acquireReleaseLock(context(client, { holder: 'b' }), 'r1', 'rollback'),
    );
    expect(error.code).toBe('RELEASE_IN_PROGRESS');
    expect(error.message.startsWith(HELM_IN_PROGRESS)).toBe(true);
    expect(error.message).toContain('(upgrade by bosun-4242@elsewhere since ');
    expect(error.message).not.toContain('\n');
    expect(spec(await readLease(client, 'r1')).holderIdentity).toBe('bosun-4242@elsewhere');
  });

  it('does not treat a lease held by this very process as stale', async () => {
    const client = newClient();
    await acquireReleaseLock(context(client), 'r1', 'install');
    await inProgressError(acquireReleaseLock(context(client), 'r1', 'upgrade'));
  });

  it('locks each release separately', async () => {
    const client = newClient();
    await acquireReleaseLock(context(client, { holder: 'a' }), 'r1', 'upgrade');
    const other = await acquireReleaseLock(context(client, { holder: 'b' }), 'r2', 'upgrade');
    expect(other.tookOver).toBeUndefined();
  });

  it('succeeds again once the holder released the lock', async () => {
    const client = newClient();
    const first = await acquireReleaseLock(context(client, { holder: 'a' }), 'r1', 'install');
    await first.release();
    await expect(readLease(client, 'r1')).rejects.toMatchObject({ reason: 'NotFound' });
    const second = await acquireReleaseLock(context(client, { holder: 'b' }), 'r1', 'upgrade');
    expect(second.tookOver).toBeUndefined();
    expect(spec(await readLease(client, 'r1')).holderIdentity).toBe('b');
  });

  it('takes over a lease that expired (renewTime + duration in the past) and reports the old holder', async () => {
    const client = newClient();
    const old = await leftBehind(client, 'r1', 'bosun-4242@other-host', 61_000);
    const lock = await acquireReleaseLock(context(client, { holder: 'b' }), 'r1', 'rollback');
    expect(lock.tookOver).toEqual({
      holder: 'bosun-4242@other-host',
      operation: 'upgrade',
      since: spec(old).acquireTime,
      reason: 'expired',
    });
    const lease = await readLease(client, 'r1');
    expect(spec(lease).holderIdentity).toBe('b');
    expect(spec(lease).leaseTransitions).toBe(3);
    expect(meta(lease).annotations).toEqual({ 'bosun.io/operation': 'rollback' });
    expect(Date.parse(String(spec(lease).renewTime))).toBeGreaterThan(
      Date.parse(String(spec(old).renewTime)),
    );
  });

  it('takes over a lock whose short lease ran out on the wall clock', async () => {
    const client = newClient();
    await acquireReleaseLock(context(client, { holder: 'a', leaseSeconds: 5 }), 'r1', 'upgrade');
    await inProgressError(acquireReleaseLock(context(client, { holder: 'b' }), 'r1', 'upgrade'));
    jumpWallClock(5_001);
    const lock = await acquireReleaseLock(context(client, { holder: 'b' }), 'r1', 'upgrade');
    expect(lock.tookOver).toMatchObject({ holder: 'a', operation: 'upgrade', reason: 'expired' });
  });

  it('ignores the cluster clock: sleeping the embedded cluster does not expire a lease', async () => {
    const client = newClient();
    await acquireReleaseLock(context(client, { holder: 'a', leaseSeconds: 5 }), 'r1', 'upgrade');
    await client.sleep(120_000);
    await inProgressError(acquireReleaseLock(context(client, { holder: 'b' }), 'r1', 'upgrade'));
  });

  it('takes over at once a valid lease whose holder PID on this host no longer exists', async () => {
    const client = newClient();
    const pid = await deadPid();
    const holder = `bosun-${pid}@${hostname()}`;
    await leftBehind(client, 'r1', holder, 1_000, 'install');
    const lock = await acquireReleaseLock(context(client, { holder: 'b' }), 'r1', 'upgrade');
    expect(lock.tookOver).toMatchObject({ holder, operation: 'install', reason: 'dead' });
    expect(takeoverNotice('r1', lock.tookOver!)).toBe(
      `took over the lock of release "r1" from ${holder} (install since ${lock.tookOver!.since}): ` +
        'its process no longer exists',
    );
  });

  it('does not take over a valid lease of a live PID on this host', async () => {
    const client = newClient();
    await leftBehind(client, 'r1', `bosun-${process.ppid}@${hostname()}`, 1_000);
    const error = await inProgressError(
      acquireReleaseLock(context(client, { holder: 'b' }), 'r1', 'upgrade'),
    );
    expect(error.message).toContain(`by bosun-${process.ppid}@${hostname()}`);
  });

  it('counts a PID it may not signal (EPERM: another user’s process) as alive', async () => {
    const client = newClient();
    await leftBehind(client, 'r1', `bosun-4242@${hostname()}`, 1_000);
    const kill = vi.spyOn(process, 'kill').mockImplementation(() => {
      throw Object.assign(new Error('kill EPERM'), { code: 'EPERM' });
    });
    await inProgressError(acquireReleaseLock(context(client, { holder: 'b' }), 'r1', 'upgrade'));
    expect(kill).toHaveBeenCalledWith(4242, 0);
  });

  it('does not check PIDs of another host: a valid lease there holds', async () => {
    const client = newClient();
    const pid = await deadPid();
    await leftBehind(client, 'r1', `bosun-${pid}@not-${hostname()}`, 1_000);
    await inProgressError(acquireReleaseLock(context(client, { holder: 'b' }), 'r1', 'upgrade'));
  });

  it('lets exactly one of two racing takeovers win; the loser gets the in-progress error', async () => {
    const client = newClient();
    await leftBehind(client, 'r1', 'bosun-4242@other-host', 120_000);
    const results = await Promise.allSettled([
      acquireReleaseLock(context(client, { holder: 'b' }), 'r1', 'upgrade'),
      acquireReleaseLock(context(client, { holder: 'c' }), 'r1', 'rollback'),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect((lost[0] as PromiseRejectedResult).reason).toBeInstanceOf(ReleaseInProgressError);
    const winner = results[0]!.status === 'fulfilled' ? 'b' : 'c';
    const lease = await readLease(client, 'r1');
    expect(spec(lease).holderIdentity).toBe(winner);
    expect(spec(lease).leaseTransitions).toBe(3);
    expect((lost[0] as PromiseRejectedResult).reason.message).toContain(`by ${winner} since`);
  });

  it('fails clearly when the namespace does not exist', async () => {
    const client = newClient();
    const error = await acquireReleaseLock(context(client, { namespace: 'nope' }), 'r1', 'install').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(KubeApiError);
    expect((error as KubeApiError).reason).toBe('NotFound');
    expect((error as KubeApiError).message).toBe('namespaces "nope" not found');
  });
});

describe('two processes sharing one cluster home', () => {
  let home: string | undefined;
  const open: EmbeddedCluster[] = [];
  afterEach(() => {
    for (const cluster of open.splice(0)) cluster.close();
    if (home !== undefined) rmSync(home, { recursive: true, force: true });
    home = undefined;
  });

  it('sees the other process’s lock and races takeovers through the shared store', async () => {
    home = mkdtempSync(path.join(tmpdir(), 'bosun-lock-'));
    const one = openEmbeddedCluster(home, { settle: false });
    open.push(one);
    const two = openEmbeddedCluster(home, { settle: false });
    open.push(two);
    const a = await acquireReleaseLock(context(one.client, { holder: 'a' }), 'r1', 'upgrade');
    await inProgressError(acquireReleaseLock(context(two.client, { holder: 'b' }), 'r1', 'upgrade'));
    await a.release();
    await leftBehind(one.client, 'r2', 'bosun-4242@other-host', 120_000);
    const results = await Promise.allSettled([
      acquireReleaseLock(context(one.client, { holder: 'a' }), 'r2', 'upgrade'),
      acquireReleaseLock(context(two.client, { holder: 'b' }), 'r2', 'upgrade'),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason).toBeInstanceOf(ReleaseInProgressError);
  });
});

describe('ReleaseLock.renew', () => {
  it('does nothing before half the duration has passed', async () => {
    const client = newClient();
    const lock = await acquireReleaseLock(
      context(client, { holder: 'a', leaseSeconds: 60 }),
      'r1',
      'upgrade',
    );
    const before = await readLease(client, 'r1');
    jumpWallClock(29_000);
    await lock.renew();
    const after = await readLease(client, 'r1');
    expect(meta(after).resourceVersion).toBe(meta(before).resourceVersion);
    expect(spec(after).renewTime).toBe(spec(before).renewTime);
  });

  it('extends renewTime past half the duration, so the lease stays valid', async () => {
    const client = newClient();
    const lock = await acquireReleaseLock(
      context(client, { holder: 'a', leaseSeconds: 60 }),
      'r1',
      'upgrade',
    );
    const before = await readLease(client, 'r1');
    jumpWallClock(45_000);
    await lock.renew();
    const after = await readLease(client, 'r1');
    expect(
      Date.parse(String(spec(after).renewTime)) - Date.parse(String(spec(before).renewTime)),
    ).toBeGreaterThanOrEqual(45_000);
    expect(spec(after).acquireTime).toBe(spec(before).acquireTime);
    vi.restoreAllMocks();
    // 90 s after acquiring: without the renewal the 60 s lease would have run out.
    jumpWallClock(90_000);
    await inProgressError(acquireReleaseLock(context(client, { holder: 'b' }), 'r1', 'upgrade'));
  });

  it('survives a foreign edit of the Lease that leaves it ours', async () => {
    const client = newClient();
    const lock = await acquireReleaseLock(context(client, { holder: 'a' }), 'r1', 'upgrade');
    await client.patch(LEASES, 'default', leaseName('r1'), { metadata: { labels: { extra: 'x' } } }, 'merge');
    jumpWallClock(31_000);
    await lock.renew();
    const lease = await readLease(client, 'r1');
    expect(spec(lease).holderIdentity).toBe('a');
    expect((meta(lease).labels as Record<string, string>).extra).toBe('x');
  });

  it('holds the lock again when someone deleted the Lease', async () => {
    const client = newClient();
    const lock = await acquireReleaseLock(context(client, { holder: 'a' }), 'r1', 'test');
    const acquired = spec(await readLease(client, 'r1')).acquireTime;
    await client.delete(LEASES, 'default', leaseName('r1'));
    jumpWallClock(31_000);
    await lock.renew();
    const lease = await readLease(client, 'r1');
    expect(spec(lease).holderIdentity).toBe('a');
    expect(spec(lease).acquireTime).toBe(acquired);
    expect(meta(lease).annotations).toEqual({ 'bosun.io/operation': 'test' });
  });

  it('throws the in-progress error when the lock was taken over meanwhile', async () => {
    const client = newClient();
    const lock = await acquireReleaseLock(
      context(client, { holder: 'a', leaseSeconds: 10 }),
      'r1',
      'upgrade',
    );
    jumpWallClock(11_000);
    await acquireReleaseLock(context(client, { holder: 'b' }), 'r1', 'rollback');
    const error = await inProgressError(lock.renew());
    expect(error.message).toContain('the lock was taken over: rollback by b');
    expect(spec(await readLease(client, 'r1')).holderIdentity).toBe('b');
  });
});

describe('ReleaseLock.release', () => {
  it('is idempotent, also when the Lease is already gone', async () => {
    const client = newClient();
    const lock = await acquireReleaseLock(context(client, { holder: 'a' }), 'r1', 'upgrade');
    await lock.release();
    await lock.release();
    const other = await acquireReleaseLock(context(client, { holder: 'b' }), 'r2', 'upgrade');
    await client.delete(LEASES, 'default', leaseName('r2'));
    await expect(other.release()).resolves.toBeUndefined();
  });

  it('does not delete a lease someone else took over', async () => {
    const client = newClient();
    const lock = await acquireReleaseLock(
      context(client, { holder: 'a', leaseSeconds: 10 }),
      'r1',
      'upgrade',
    );
    jumpWallClock(11_000);
    await acquireReleaseLock(context(client, { holder: 'b' }), 'r1', 'upgrade');
    await lock.release();
    expect(spec(await readLease(client, 'r1')).holderIdentity).toBe('b');
  });

  it('releases its own lease even after it ran out, when nobody took it over', async () => {
    const client = newClient();
    const lock = await acquireReleaseLock(
      context(client, { holder: 'a', leaseSeconds: 10 }),
      'r1',
      'upgrade',
    );
    jumpWallClock(11_000);
    await lock.release();
    await expect(readLease(client, 'r1')).rejects.toMatchObject({ reason: 'NotFound' });
  });

  it('never deletes a lease taken over between its read and its delete', async () => {
    const client = newClient();
    // Another process tries to take the expired lock at the last moment before the delete.
    let rival: Promise<unknown> | undefined;
    const racing: KubeClient = Object.assign(Object.create(client) as KubeClient, {
      delete: async (...args: Parameters<KubeClient['delete']>) => {
        rival ??= acquireReleaseLock(context(client, { holder: 'b' }), 'r1', 'upgrade').then(
          () => 'won',
          (e: unknown) => e,
        );
        await rival;
        return client.delete(...args);
      },
    });
    const lock = await acquireReleaseLock(
      context(racing, { holder: 'a', leaseSeconds: 10 }),
      'r1',
      'upgrade',
    );
    jumpWallClock(11_000);
    await lock.release();
    const outcome = await rival;
    if (outcome === 'won') {
      expect(spec(await readLease(client, 'r1')).holderIdentity).toBe('b');
    } else {
      expect(outcome).toBeInstanceOf(ReleaseInProgressError);
      await expect(readLease(client, 'r1')).rejects.toMatchObject({ reason: 'NotFound' });
    }
  });

  it('makes renew a no-op afterwards (it never re-creates a released lock)', async () => {
    const client = newClient();
    const lock = await acquireReleaseLock(context(client, { holder: 'a' }), 'r1', 'upgrade');
    await lock.release();
    jumpWallClock(59_000);
    await lock.renew();
    await expect(readLease(client, 'r1')).rejects.toMatchObject({ reason: 'NotFound' });
  });
});

describe('microTime', () => {
  it('writes six fractional digits', () => {
    expect(microTime(Date.parse('2026-11-27T15:24:00.776Z'))).toBe('2026-11-27T15:24:00.776000Z');
  });
});

import { beforeEach, describe, expect, it } from 'vitest';
import type { ReleaseContext } from '../../../src/action/release/context.js';
import { computedValues, GetAction, userValues } from '../../../src/action/release/get.js';
import { InvalidArgumentError, ReleaseNotFoundError } from '../../../src/internal/errors.js';
import { makeRelease, memoryContext, store } from './read-fixtures.js';

let ctx: ReleaseContext;
beforeEach(async () => {
  ctx = memoryContext();
  await store(ctx, [
    makeRelease('coins', 1, 'superseded', { config: {}, manifest: 'm1\n', notes: 'n1' }),
    makeRelease('coins', 2, 'deployed', {
      config: { image: { tag: 'v2' }, replicas: null, extra: [1, 2] },
      manifest: 'm2\n',
      notes: 'n2',
      chartValues: { image: { repository: 'nginx', tag: 'stable' }, replicas: 1, keep: true },
      labels: { team: 'coins', env: 'dev' },
      applyMethod: 'csa',
    }),
  ]);
});

describe('GetAction', () => {
  it('reads the newest revision by default and --revision N otherwise', async () => {
    expect((await new GetAction(ctx).release('coins')).manifest).toBe('m2\n');
    expect((await new GetAction(ctx, { revision: 1 }).release('coins')).info.notes).toBe('n1');
    expect((await new GetAction(ctx, { revision: 0 }).release('coins')).version).toBe(2);
  });

  it('a missing release or revision is `release: not found`', async () => {
    await expect(new GetAction(ctx).release('nope')).rejects.toThrow(ReleaseNotFoundError);
    await expect(new GetAction(ctx, { revision: 3 }).release('coins')).rejects.toThrow(
      /^release: not found$/,
    );
  });

  it('an invalid name is refused as Helm does (`releaseContent: Release name is invalid`)', async () => {
    await expect(new GetAction(ctx).release('UPPER')).rejects.toThrow(InvalidArgumentError);
    await expect(new GetAction(ctx).release('UPPER')).rejects.toThrow(
      'releaseContent: Release name is invalid: UPPER',
    );
  });

  it('values: the user-supplied values only; none is null (Helm omits an empty config)', async () => {
    expect(await new GetAction(ctx).values('coins')).toEqual({
      image: { tag: 'v2' },
      replicas: null,
      extra: [1, 2],
    });
    expect(await new GetAction(ctx, { revision: 1 }).values('coins')).toBeNull();
  });

  it('values --all: chart defaults coalesced with the user values (user wins, null deletes)', async () => {
    expect(await new GetAction(ctx).values('coins', { all: true })).toEqual({
      image: { repository: 'nginx', tag: 'v2' },
      keep: true,
      extra: [1, 2],
    });
    expect(await new GetAction(ctx, { revision: 1 }).values('coins', { all: true })).toEqual({
      image: { repository: 'nginx', tag: 'stable' },
      replicas: 1,
    });
  });

  it('metadata: chart, revision, status, deployment time in RFC 3339 seconds, labels and apply method', async () => {
    expect(await new GetAction(ctx).metadata('coins')).toEqual({
      name: 'coins',
      chart: 'chickadee',
      version: '1.0.0',
      appVersion: '0.0.1',
      labels: { env: 'dev', team: 'coins' },
      namespace: 'default',
      revision: 2,
      status: 'deployed',
      deployedAt: '2016-01-16T00:00:01Z',
      applyMethod: 'csa',
    });
    const first = await new GetAction(ctx, { revision: 1 }).metadata('coins');
    expect(first.applyMethod).toBeUndefined();
    expect(first.labels).toBeUndefined();
  });

  it('all: the revision with both views of its values', async () => {
    const all = await new GetAction(ctx).all('coins');
    expect(all.release.version).toBe(2);
    expect(all.userValues).toEqual(userValues(all.release));
    expect(all.computedValues).toEqual(computedValues(all.release));
    expect(all.computedValues).toHaveProperty('keep', true);
  });
});

import { beforeEach, describe, expect, it } from 'vitest';
import type { ReleaseContext } from '../../../src/action/release/context.js';
import { HistoryAction } from '../../../src/action/release/history.js';
import { InvalidArgumentError, ReleaseNotFoundError } from '../../../src/internal/errors.js';
import { makeRelease, memoryContext, store } from './read-fixtures.js';

let ctx: ReleaseContext;
beforeEach(async () => {
  ctx = memoryContext();
  // Stored out of order on purpose: history is by revision, not by storage order.
  await store(ctx, [
    makeRelease('angry-bird', 4, 'deployed'),
    makeRelease('angry-bird', 1, 'superseded'),
    makeRelease('angry-bird', 3, 'superseded'),
    makeRelease('angry-bird', 2, 'superseded'),
    makeRelease('other', 1, 'deployed'),
    makeRelease('angry-bird', 9, 'deployed', { namespace: 'elsewhere' }),
  ]);
});

const versions = async (max?: number) =>
  (await new HistoryAction(ctx, max === undefined ? {} : { max }).run('angry-bird')).map((r) => r.version);

describe('HistoryAction', () => {
  it('returns every revision of the release in the namespace, oldest first', async () => {
    expect(await versions()).toEqual([1, 2, 3, 4]);
  });

  it('--max keeps the newest N revisions, still oldest first', async () => {
    expect(await versions(2)).toEqual([3, 4]);
    expect(await versions(10)).toEqual([1, 2, 3, 4]);
  });

  it('--max 0 keeps none (Helm prints only the header)', async () => {
    expect(await versions(0)).toEqual([]);
  });

  it('a release without revisions is `release: not found`', async () => {
    const run = new HistoryAction(ctx).run('nope');
    await expect(run).rejects.toThrow(ReleaseNotFoundError);
    await expect(new HistoryAction(ctx).run('nope')).rejects.toThrow(/^release: not found$/);
  });

  it('an invalid release name is refused before storage is read', async () => {
    await expect(new HistoryAction(ctx).run('Bad_Name')).rejects.toThrow(InvalidArgumentError);
    await expect(new HistoryAction(ctx).run('Bad_Name')).rejects.toThrow('release name is invalid: Bad_Name');
  });
});

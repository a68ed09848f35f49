import { beforeEach, describe, expect, it } from 'vitest';
import type { ReleaseContext } from '../../../src/action/release/context.js';
import { compileNameFilter, ListAction, type ListOptions } from '../../../src/action/release/list.js';
import { InvalidArgumentError } from '../../../src/internal/errors.js';
import { makeRelease, memoryContext, store } from './read-fixtures.js';

/** Helm's own `list` fixture (`pkg/cmd/list_test.go`): seconds after 2016-01-16T00:00:00Z. */
const at = (s: number) => `2016-01-16T00:00:0${s}Z`;
const FIXTURE = [
  makeRelease('starlord', 1, 'superseded', { lastDeployed: at(1) }),
  makeRelease('starlord', 2, 'deployed', { lastDeployed: at(1) }),
  makeRelease('groot', 1, 'uninstalled', { lastDeployed: at(1) }),
  makeRelease('gamora', 1, 'superseded', { lastDeployed: at(1) }),
  makeRelease('rocket', 1, 'failed', { lastDeployed: at(2) }),
  makeRelease('drax', 1, 'uninstalling', { lastDeployed: at(1) }),
  makeRelease('thanos', 1, 'pending-install', { lastDeployed: at(1) }),
  makeRelease('hummingbird', 1, 'deployed', { lastDeployed: at(3) }),
  makeRelease('iguana', 2, 'deployed', { lastDeployed: at(4) }),
  makeRelease('starlord', 2, 'deployed', { lastDeployed: at(1), namespace: 'milano' }),
];

let ctx: ReleaseContext;
beforeEach(async () => {
  ctx = memoryContext();
  await store(ctx, FIXTURE);
});

async function list(options: ListOptions = {}): Promise<string[]> {
  const releases = await new ListAction(ctx, options).run();
  return releases.map((r) => `${r.namespace}/${r.name}.v${r.version}:${r.info.status}`);
}

describe('ListAction', () => {
  it('lists the newest revision of every release of the namespace, in every state, by name (Helm 4)', async () => {
    expect(await list()).toEqual([
      'default/drax.v1:uninstalling',
      'default/gamora.v1:superseded',
      'default/groot.v1:uninstalled',
      'default/hummingbird.v1:deployed',
      'default/iguana.v2:deployed',
      'default/rocket.v1:failed',
      'default/starlord.v2:deployed',
      'default/thanos.v1:pending-install',
    ]);
  });

  it('-A lists every namespace; the same name in two namespaces is two releases', async () => {
    const names = await list({ allNamespaces: true });
    expect(names).toHaveLength(9);
    expect(names.filter((n) => n.includes('starlord'))).toEqual([
      'default/starlord.v2:deployed',
      'milano/starlord.v2:deployed',
    ]);
  });

  it('state filters are OR-ed: --deployed --failed', async () => {
    expect(await list({ states: ['deployed', 'failed'] })).toEqual([
      'default/hummingbird.v1:deployed',
      'default/iguana.v2:deployed',
      'default/rocket.v1:failed',
      'default/starlord.v2:deployed',
    ]);
  });

  it('--pending covers pending-install, pending-upgrade and pending-rollback', async () => {
    await store(ctx, [makeRelease('up', 1, 'pending-upgrade'), makeRelease('back', 1, 'pending-rollback')]);
    expect(await list({ states: ['pending'] })).toEqual([
      'default/back.v1:pending-rollback',
      'default/thanos.v1:pending-install',
      'default/up.v1:pending-upgrade',
    ]);
  });

  it('--superseded alone lists every superseded revision, not only the newest of each release', async () => {
    expect(await list({ states: ['superseded'] })).toEqual([
      'default/gamora.v1:superseded',
      'default/starlord.v1:superseded',
    ]);
  });

  it('the state filter applies after keeping the newest revision: an older deployed one never shows', async () => {
    await store(ctx, [makeRelease('hawk', 1, 'deployed'), makeRelease('hawk', 2, 'failed')]);
    expect(await list({ states: ['deployed'] })).not.toContain('default/hawk.v1:deployed');
    expect(await list({ states: ['failed'] })).toContain('default/hawk.v2:failed');
    expect(await list({ states: ['superseded', 'deployed'] })).toContain('default/gamora.v1:superseded');
    expect(await list({ states: ['superseded', 'deployed'] })).not.toContain(
      'default/starlord.v1:superseded',
    );
  });

  it('--filter is an unanchored regular expression on the name', async () => {
    expect(await list({ filter: 'ar' })).toEqual(['default/starlord.v2:deployed']);
    expect(await list({ filter: '^g' })).toEqual([
      'default/gamora.v1:superseded',
      'default/groot.v1:uninstalled',
    ]);
    expect(await list({ filter: '.*' })).toHaveLength(8);
    expect(await list({ filter: '(?i)DRAX' })).toEqual(['default/drax.v1:uninstalling']);
  });

  it('an invalid --filter is an error', async () => {
    await expect(list({ filter: '[' })).rejects.toThrow(InvalidArgumentError);
    expect(() => compileNameFilter('a(')).toThrow(/^error parsing regexp: /);
  });

  it('-d sorts by last deployment, oldest first, names breaking ties; -r reverses', async () => {
    const byDate = await list({ byDate: true });
    expect(byDate.slice(-3)).toEqual([
      'default/rocket.v1:failed',
      'default/hummingbird.v1:deployed',
      'default/iguana.v2:deployed',
    ]);
    expect(byDate[0]).toBe('default/drax.v1:uninstalling');
    expect(await list({ byDate: true, reverse: true })).toEqual([...byDate].reverse());
    expect((await list({ reverse: true }))[0]).toBe('default/thanos.v1:pending-install');
  });

  it('-d puts releases never deployed first', async () => {
    await store(ctx, [makeRelease('zero', 1, 'pending-install', { lastDeployed: null })]);
    expect((await list({ byDate: true }))[0]).toBe('default/zero.v1:pending-install');
  });

  it('--max and --offset page through the sorted list; --max 0 is no limit', async () => {
    expect(await list({ max: 1 })).toEqual(['default/drax.v1:uninstalling']);
    expect(await list({ max: 2, offset: 1 })).toEqual([
      'default/gamora.v1:superseded',
      'default/groot.v1:uninstalled',
    ]);
    expect(await list({ offset: 7 })).toEqual(['default/thanos.v1:pending-install']);
    expect(await list({ offset: 8 })).toEqual([]);
    expect(await list({ max: 0 })).toHaveLength(8);
  });

  it('an empty namespace lists nothing', async () => {
    expect(await new ListAction(memoryContext('empty')).run()).toEqual([]);
  });
});

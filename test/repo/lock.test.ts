import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Dependency } from '../../src/chart/chart.js';
import { goTime, lockDigest, parseLock, readLock, serializeLock, writeLock } from '../../src/repo/lock.js';
import { tempDir } from '../helpers/chart-builder.js';

const SERVED = 'http://127.0.0.1:18765';
const sub: Dependency = { name: 'sub', version: '0.1.0', repository: SERVED };

describe('lockDigest', () => {
  // Digests written by helm 4.1.4 `dependency update` for the same Chart.yaml dependencies.
  it.each([
    [
      'a file:// dependency with an exact version',
      [{ name: 'other', version: '0.1.0', repository: 'file://../other' }],
      [{ name: 'other', version: '0.1.0', repository: 'file://../other' }],
      'sha256:881bc32ade37a1b3b5fce0e1f1881179bc9504de80a5fdb039d9cab5b325eeff',
    ],
    [
      'a range with ">" (escaped as Go escapes it)',
      [{ name: 'other', version: '>=0.1.0', repository: 'file://../other' }],
      [{ name: 'other', version: '0.1.0', repository: 'file://../other' }],
      'sha256:21db6b02a779c9e90ae49ab3937f89b4b7cfe8767c5364ac724f38ad04b1c3db',
    ],
    [
      'a caret range on a repository (an @name already replaced by its URL)',
      [{ name: 'sub', version: '^0.1.0', repository: SERVED }],
      [sub],
      'sha256:ae9369d5d64e7bbdbb409ffe9c27de4c614da9368d190023e84ca032071712c8',
    ],
    [
      'an alias',
      [{ ...sub, alias: 'subby' }],
      [sub],
      'sha256:e001d1bf6117f88608ba9da2c6293818efd4a1cff86fb3c2230e5dfbe1bd1596',
    ],
    [
      'a condition',
      [{ ...sub, condition: 'subby.enabled' }],
      [sub],
      'sha256:d809a4c7ce1d2a55243bfb3ac2e69e339f7be91651579fe73516d26007803fd3',
    ],
    [
      'tags',
      [{ ...sub, tags: ['a', 'b'] }],
      [sub],
      'sha256:daba48cb27928af407ffc2925054aef939f867e3ffe9aee68152045d8daf6e80',
    ],
    [
      'import-values',
      [{ ...sub, 'import-values': ['data'] }],
      [sub],
      'sha256:471a057bb9b2f62c09722b06cba4bbef38870e34930e7cde27be3dc85e7c3c4e',
    ],
  ] as [string, Dependency[], Dependency[], string][])(
    'matches helm for %s',
    (_what, req, locked, digest) => {
      expect(lockDigest(req, locked)).toBe(digest);
    },
  );

  it('changes with the requested range and with the locked version', () => {
    const base = lockDigest([{ ...sub, version: '^0.1.0' }], [sub]);
    expect(lockDigest([{ ...sub, version: '^0.2.0' }], [sub])).not.toBe(base);
    expect(lockDigest([{ ...sub, version: '^0.1.0' }], [{ ...sub, version: '0.1.1' }])).not.toBe(base);
  });

  it('writes import-values maps with sorted keys', () => {
    const a = lockDigest([{ ...sub, 'import-values': [{ child: 'x', parent: 'y' }] }], [sub]);
    const b = lockDigest([{ ...sub, 'import-values': [{ parent: 'y', child: 'x' }] }], [sub]);
    expect(a).toBe(b);
  });
});

describe('Chart.lock text', () => {
  const lock = {
    generated: '2026-01-02T03:04:05.5Z',
    digest: 'sha256:881bc32ade37a1b3b5fce0e1f1881179bc9504de80a5fdb039d9cab5b325eeff',
    dependencies: [
      { name: 'other', repository: 'file://../other', version: '0.1.0' },
      { name: 'sub', repository: SERVED, version: '1.0' },
    ],
  };

  it('is written as helm writes it: keys sorted, ambiguous strings quoted', () => {
    expect(serializeLock(lock)).toBe(
      [
        'dependencies:',
        '- name: other',
        '  repository: file://../other',
        '  version: 0.1.0',
        '- name: sub',
        `  repository: ${SERVED}`,
        '  version: "1.0"',
        `digest: ${lock.digest}`,
        'generated: "2026-01-02T03:04:05.5Z"',
        '',
      ].join('\n'),
    );
  });

  it('reads back what it writes', () => {
    expect(parseLock(serializeLock(lock), 'Chart.lock')).toEqual(lock);
  });

  it('keeps only the fields of a lock entry', () => {
    const parsed = parseLock(
      'dependencies:\n- name: a\n  repository: ""\n  version: ^1.0.0\n  alias: b\ndigest: sha256:00\ngenerated: x\n',
      'Chart.lock',
    );
    expect(parsed.dependencies).toEqual([{ name: 'a', repository: '', version: '^1.0.0' }]);
  });

  it.each([
    ['- a\n', 'must be a map'],
    ['dependencies: x\n', 'dependencies must be a list'],
    ['dependencies:\n- version: 1.0.0\n', 'dependencies[0].name is required'],
    ['dependencies:\n- name: a\n  version: 1.5\n', 'dependencies[0].version must be a string'],
    ['digest: [1]\n', 'digest must be a string'],
  ])('refuses %j', (text, message) => {
    expect(() => parseLock(text, 'c/Chart.lock')).toThrow(message);
  });

  it('formats times as Go does', () => {
    expect(goTime(new Date('2026-01-02T03:04:05.000Z'))).toBe('2026-01-02T03:04:05Z');
    expect(goTime(new Date('2026-01-02T03:04:05.120Z'))).toBe('2026-01-02T03:04:05.12Z');
  });

  it('is read from and written to a chart directory', async () => {
    const dir = tempDir();
    expect(await readLock(dir)).toBeUndefined();
    await writeLock(dir, lock);
    expect(readFileSync(path.join(dir, 'Chart.lock'), 'utf8')).toBe(serializeLock(lock));
    expect(await readLock(dir)).toEqual(lock);
    writeFileSync(path.join(dir, 'Chart.lock'), 'dependencies: {');
    await expect(readLock(dir, 'mychart')).rejects.toThrow('mychart/Chart.lock');
  });
});

/**
 * Golden `kubectl get` and `kubectl describe` output over the fixtures at the pinned clock, one file
 * per command under `goldens/` (the same commands the parity test checks against kubectl v1.34.5).
 * Refresh with `npx vitest run test/cluster/printing/goldens.test.ts -u` after checking parity.
 */

import { describe, expect, it } from 'vitest';
import { allObjects, NOW } from './fixtures.js';
import { DESCRIBE_GOLDENS, GET_GOLDENS } from './golden-commands.js';
import { describeCommand, get } from './kubectl-adapter.js';

const objects = allObjects(NOW);
const slug = (args: readonly string[]) => args.join('_').replace(/[^A-Za-z0-9._=-]+/g, '-');

describe('golden kubectl get', () => {
  it.each(GET_GOLDENS)('get %s', async (...args: string[]) => {
    const { stdout, stderr } = get(args, objects, NOW);
    await expect(stdout + (stderr === '' ? '' : `--- stderr ---\n${stderr}`)).toMatchFileSnapshot(
      `goldens/get/${slug(args)}.txt`,
    );
  });
});

describe('golden kubectl describe', () => {
  it.each(DESCRIBE_GOLDENS)('describe %s %s', async (...args: string[]) => {
    await expect(describeCommand(args, objects, NOW)).toMatchFileSnapshot(
      `goldens/describe/${slug(args)}.txt`,
    );
  });
});

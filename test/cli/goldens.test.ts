/**
 * Golden files for `bosun template` output; refresh with `npx vitest run -u test/cli/goldens.test.ts`
 * after an intended change, and review the diff.
 */

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { tempDir } from '../helpers/chart-builder.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');

async function bosun(args: string[], cwd: string): Promise<string> {
  const io = memoryIO({ cwd });
  const code = await run(args, io);
  expect(io.err()).toBe('');
  expect(code).toBe(0);
  return io.out();
}

describe('template goldens', () => {
  it.each([
    ['dockercoins.yaml', ['template', 'coins', 'charts/dockercoins']],
    [
      'dockercoins-worker-10.yaml',
      ['template', 'coins', 'charts/dockercoins', '--set', 'worker.replicas=10'],
    ],
    [
      'dockercoins-rng-deployment.yaml',
      ['template', 'coins', 'charts/dockercoins', '--set', 'rng.kind=Deployment'],
    ],
  ])('%s', async (golden, args) => {
    await expect(await bosun(args, repoRoot)).toMatchFileSnapshot(`goldens/${golden}`);
  });

  it('create scaffold', async () => {
    const dir = tempDir();
    await bosun(['create', 'mychart'], dir);
    await expect(await bosun(['template', 'myrel', 'mychart'], dir)).toMatchFileSnapshot(
      'goldens/scaffold.yaml',
    );
    await expect(
      await bosun(
        ['template', 'myrel', 'mychart', '--set', 'ingress.enabled=true,autoscaling.enabled=true'],
        dir,
      ),
    ).toMatchFileSnapshot('goldens/scaffold-ingress-hpa.yaml');
  });
});

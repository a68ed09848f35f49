import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { tempDir } from '../helpers/chart-builder.js';

async function bosun(args: string[], home: string) {
  const io = memoryIO({ env: { BOSUN_HOME: home } });
  const code = await run(args, io);
  return { code, out: io.out(), err: io.err() };
}

describe('bosun cluster', () => {
  it('init --nodes 5 makes node1 (control plane) to node5; init again is refused; reset removes it', async () => {
    const home = tempDir();
    const init = await bosun(['cluster', 'init', '--nodes', '5'], home);
    expect(init.err).toBe('');
    expect(init.code).toBe(0);
    expect(init.out).toMatch(/^Nodes: {8}5\n {2}node1 +Ready +control-plane +10\.0\.0\.11\n/m);
    expect(init.out).toContain('  node5    Ready     <none>');
    expect(init.out).toMatch(/Pods: +\d+ Running/);
    expect(existsSync(path.join(home, 'cluster.db'))).toBe(true);

    const again = await bosun(['cluster', 'init'], home);
    expect(again).toMatchObject({ code: 1, out: '' });
    expect(again.err).toBe(
      `Error: a cluster already exists in ${home}: run "bosun cluster reset" first to make a new one\n`,
    );

    const nodes = await bosun(['k', 'get', 'nodes', '-o', 'name'], home);
    expect(nodes.out).toBe('node/node1\nnode/node2\nnode/node3\nnode/node4\nnode/node5\n');

    expect(await bosun(['cluster', 'reset'], home)).toMatchObject({ code: 0, out: 'cluster removed\n' });
    expect(existsSync(path.join(home, 'cluster.db'))).toBe(false);
    expect((await bosun(['cluster', 'reset'], home)).out).toBe('no cluster to remove\n');
  });

  it('status bootstraps a default three-node cluster on first use', async () => {
    const home = tempDir();
    const status = await bosun(['cluster', 'status'], home);
    expect(status.code).toBe(0);
    expect(status.out).toContain('Nodes:        3\n');
    expect(status.out).toContain('Namespaces:   default, kube-node-lease, kube-public, kube-system\n');
  });

  it.each(['0', '1025', 'x'])('init --nodes %s is refused without creating anything', async (n) => {
    const home = tempDir();
    const r = await bosun(['cluster', 'init', '--nodes', n], home);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^Error: --nodes: must be a whole number from 1 to 1024/);
    expect(existsSync(path.join(home, 'cluster.db'))).toBe(false);
  });
});

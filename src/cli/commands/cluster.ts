/** `bosun cluster init|status|reset`: the embedded cluster. */

import type { Command } from 'commander';
import type { ClusterStatus } from '../../kube/embedded.js';
import type { CliIO } from '../io.js';

/** The status block printed by `cluster init` and `cluster status`. */
export function formatClusterStatus(s: ClusterStatus): string {
  const lines = [
    `Cluster time: ${s.time.toISOString()}`,
    `Database:     ${s.database ? `${s.database.path} (${(s.database.sizeBytes / 1024).toFixed(0)} KiB)` : 'in memory'}`,
    `Revision:     ${s.revision}`,
    `Nodes:        ${s.nodes.length}`,
    ...s.nodes.map((n) =>
      `  ${n.name.padEnd(8)} ${(n.ready ? 'Ready' : 'NotReady').padEnd(9)} ${(n.roles.join(',') || '<none>').padEnd(14)} ${n.internalIP ?? ''}`.trimEnd(),
    ),
    `Namespaces:   ${s.namespaces.join(', ')}`,
    `Pods:         ${
      Object.entries(s.pods)
        .map(([phase, n]) => `${n} ${phase}`)
        .join(', ') || 'none'
    }`,
  ];
  return `${lines.join('\n')}\n`;
}

/** Registers `cluster init [--nodes N]`, `cluster status`, `cluster reset`. */
export function registerCluster(program: Command, io: CliIO): void {
  const cluster = program.command('cluster').description('manage the embedded, simulated cluster');
  const action = async () => {
    const { ClusterAction } = await import('../../action/cluster.js');
    const { bosunHome } = await import('../../kube/embedded.js');
    return new ClusterAction({ home: bosunHome(io.env) });
  };
  cluster
    .command('init')
    .description('create the cluster (node1 is the control plane)')
    .option('--nodes <n>', 'number of nodes', '3')
    .action(async (flags: { nodes: string }) => {
      const nodes = /^\d+$/.test(flags.nodes) ? Number(flags.nodes) : Number.NaN;
      io.stdout.write(formatClusterStatus((await action()).init(nodes)));
    });
  cluster
    .command('status')
    .description('show the nodes, namespaces, pods and clock of the cluster')
    .action(async () => {
      io.stdout.write(formatClusterStatus((await action()).status()));
    });
  cluster
    .command('reset')
    .description('delete the cluster (its database); the next command makes a new one')
    .action(async () => {
      const removed = (await action()).reset();
      io.stdout.write(removed.length > 0 ? 'cluster removed\n' : 'no cluster to remove\n');
    });
}

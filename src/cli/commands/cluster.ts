/** `bosun cluster init|status|reset|advance|image`: the embedded cluster. */

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

/** `docker.io/library/nginx:1.13.11` as Docker shows it: `nginx:1.13.11`. */
const familiar = (reference: string): string => reference.replace(/^docker\.io\/(library\/)?/, '');

/** `repo:tag` → [repo, tag] (the tag follows the last ':' after the last '/'). */
function splitTag(reference: string): [string, string] {
  const colon = reference.lastIndexOf(':');
  return colon > reference.lastIndexOf('/')
    ? [reference.slice(0, colon), reference.slice(colon + 1)]
    : [reference, ''];
}

/** RFC 3339 to the second, as Kubernetes writes times: `2025-03-01T12:05:00Z`. */
const rfc3339 = (time: Date): string => time.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Registers `cluster init [--nodes N]`, `cluster status`, `cluster reset`, `cluster advance DURATION`, `cluster image push|list`. */
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
  cluster
    .command('advance')
    .description('let cluster time pass (30s, 5m, 1h30m): back-offs retry, schedules and deadlines come due')
    .argument('<duration>')
    .action(async (duration: string) => {
      const moved = (await action()).advance(duration);
      io.stdout.write(`Advanced the cluster clock by ${moved.duration} to ${rfc3339(moved.to)}\n`);
    });
  const image = cluster.command('image').description("the cluster's simulated image registry");
  image
    .command('push')
    .description(
      'push an image (as docker push does), tagged from --from; pods waiting for it pull it on retry',
    )
    .argument('<name>', 'NAME[:TAG], e.g. dockercoins/worker:v0.3 or 127.0.0.1:31500/busybox')
    .option('--from <image>', 'the image it is tagged from (docker tag FROM NAME)')
    .action(async (name: string, flags: { from?: string }) => {
      const pushed = (await action()).pushImage(name, flags.from);
      io.stdout.write(`pushed ${pushed.reference}${pushed.from ? ` (from ${pushed.from})` : ''}\n`);
    });
  image
    .command('list')
    .alias('ls')
    .description('the images pods can run: the catalog, then the pushed images')
    .action(async () => {
      const { catalog, pushed } = (await action()).images();
      const { formatRows } = await import('./kubectl-output.js');
      const rows = [
        ['REPOSITORY', 'TAG', 'PORTS', 'SOURCE'],
        ...catalog.map((c) => [...splitTag(c.reference), c.ports.join(',') || '-', 'catalog']),
        ...pushed.map((p) => [
          ...splitTag(familiar(p.reference)),
          '-',
          p.from ? `pushed from ${familiar(p.from)}` : 'pushed',
        ]),
      ];
      io.stdout.write(formatRows(rows));
    });
}

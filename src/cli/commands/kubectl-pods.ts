/**
 * kubectl's pod and node verbs: run, expose, logs, exec, taint, cordon, uncordon, drain and
 * top pod|node. Only the command tree lives here; the handlers load on first use.
 */

import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { collect } from '../values-flags.js';
import type { PodVerb, PodVerbFlags } from './kubectl-pods-run.js';

/** How many operands came before `--` (-1 without one): `exec POD -- CMD` vs `exec POD CMD`. */
function operandsBeforeDash(cmd: Command): number {
  let root = cmd;
  while (root.parent) root = root.parent;
  const raw = (root as Command & { rawArgs?: readonly string[] }).rawArgs ?? [];
  const dash = raw.indexOf('--');
  return dash < 0 ? -1 : cmd.args.length - (raw.length - dash - 1);
}

/** Runs a verb's handler, loaded lazily, with the command's operands and flags. */
function handler(io: CliIO, verb: PodVerb) {
  return async (...params: unknown[]): Promise<void> => {
    const cmd = params[params.length - 1] as Command;
    const { runPodVerb } = await import('./kubectl-pods-run.js');
    await runPodVerb(io, verb, cmd.args, {
      ...cmd.optsWithGlobals<PodVerbFlags>(),
      dashAt: operandsBeforeDash(cmd),
    });
  };
}

const dryRunFlag = (cmd: Command): Command => cmd.option('--dry-run [strategy]', 'none, client or server');

/** Registers the verbs under `kubectl`. */
export function registerPodVerbs(kubectl: Command, io: CliIO): void {
  dryRunFlag(
    kubectl
      .command('run')
      .description('run an image: a deployment (job, cron job or pod with --restart/--schedule)')
      .argument('[args...]', 'NAME, then the container arguments'),
  )
    .option('--image <image>', 'the image of the container')
    .option('--restart <policy>', 'Always (a deployment), OnFailure (a job) or Never (a pod)')
    .option('--schedule <cron>', 'a cron schedule: make a cron job')
    .option('--generator <name>', 'run-pod/v1, deployment/apps.v1, job/v1, cronjob/v1beta1 or run/v1')
    .option('-r, --replicas <n>', 'number of replicas (deployment)')
    .option('--port <port>', 'the port the container exposes')
    .option('--expose', 'also create a ClusterIP service (needs --port)')
    .option('-l, --labels <labels>', 'labels (default run=NAME)')
    .option('--env <KEY=VALUE>', 'environment variable (repeatable)', collect, [])
    .option('--serviceaccount <name>', 'the service account of the pod')
    .option('--image-pull-policy <policy>', 'Always, IfNotPresent or Never')
    .option('--command', 'the arguments are the command, not the image entrypoint arguments')
    .option('--limits <list>', 'resource limits, e.g. cpu=200m,memory=512Mi')
    .option('--requests <list>', 'resource requests, e.g. cpu=100m,memory=256Mi')
    .option('-o, --output <format>', 'yaml, json, name, jsonpath=…')
    .option('--rm', 'delete what was created when the attached session ends')
    .option('-i, --stdin', 'keep stdin open on the container and attach to it')
    .option('-t, --tty', 'allocate a TTY')
    .option('--attach', 'wait for the pod and show its output')
    .option('--pod-running-timeout <duration>', 'how long to wait for the pod to run', '1m0s')
    .action(handler(io, 'run'));

  dryRunFlag(
    kubectl
      .command('expose')
      .description('expose a pod, service, replication controller, deployment or replica set')
      .argument('[args...]', 'TYPE NAME or TYPE/NAME'),
  )
    .option('--port <port>', 'the port the service serves on')
    .option('--target-port <port>', 'the container port (number or name) to forward to')
    .option('--type <type>', 'ClusterIP, NodePort, LoadBalancer or ExternalName')
    .option('--name <name>', 'the name of the service')
    .option('--node-port <port>', 'the node port (NodePort and LoadBalancer)')
    .option('--external-ip <ip>', 'an external IP the service also answers on')
    .option('--protocol <protocol>', 'TCP, UDP or SCTP')
    .option('--selector <selector>', "the pod selector (default: the exposed object's)")
    .option('-l, --labels <labels>', "labels of the service (default: the exposed object's)")
    .option('--cluster-ip <ip>', 'the ClusterIP ("None" for a headless service)')
    .option('--session-affinity <affinity>', 'None or ClientIP')
    .option('-o, --output <format>', 'yaml, json, name, jsonpath=…')
    .action(handler(io, 'expose'));

  kubectl
    .command('logs')
    .description('print the logs of a container')
    .argument('[args...]', 'POD [CONTAINER] or TYPE/NAME')
    .option('-c, --container <name>', 'the container')
    .option('-f, --follow', 'keep printing new lines')
    .option('--tail <n>', 'lines of recent log to show (-1: all; 10 with a selector)', '-1')
    .option('-l, --selector <selector>', 'the pods, by label')
    .option('-p, --previous', 'the previous instance of the container')
    .option('--timestamps', 'prefix each line with its time')
    .option('--since <duration>', 'only lines newer than this (5s, 2m, 3h)')
    .option('--all-containers', 'every container of the pods')
    .option('--prefix', 'prefix each line with its pod and container')
    .option('--limit-bytes <n>', 'at most this many bytes')
    .option('--max-log-requests <n>', 'most logs followed at once with a selector', '5')
    .option('--pod-running-timeout <duration>', 'how long to wait for a pod', '20s')
    .action(handler(io, 'logs'));

  kubectl
    .command('exec')
    .description('run a command in a container')
    .argument('[args...]', 'POD (or TYPE/NAME) -- COMMAND [args...]')
    .option('-c, --container <name>', 'the container')
    .option('-i, --stdin', 'pass stdin to the command')
    .option('-t, --tty', 'stdin is a TTY')
    .option('-q, --quiet', "only print the command's output")
    .option('--pod-running-timeout <duration>', 'how long to wait for a pod', '1m0s')
    .action(handler(io, 'exec'));

  dryRunFlag(
    kubectl
      .command('taint')
      .description('update the taints of nodes')
      .argument('[args...]', 'nodes NODE KEY[=VALUE]:EFFECT… (KEY[:EFFECT]- removes)'),
  )
    .option('--overwrite', 'replace taints with the same key and effect')
    .option('--all', 'every node')
    .option('-l, --selector <selector>', 'the nodes, by label')
    .action(handler(io, 'taint'));

  for (const verb of ['cordon', 'uncordon'] as const) {
    dryRunFlag(
      kubectl
        .command(verb)
        .description(`mark nodes as ${verb === 'cordon' ? 'unschedulable' : 'schedulable'}`)
        .argument('[nodes...]'),
    )
      .option('-l, --selector <selector>', 'the nodes, by label')
      .action(handler(io, verb));
  }

  dryRunFlag(kubectl.command('drain').description('cordon nodes and evict their pods').argument('[nodes...]'))
    .option('--ignore-daemonsets', 'leave DaemonSet-managed pods')
    .option('--delete-emptydir-data', 'evict pods with emptyDir volumes (their data is lost)')
    .option('--delete-local-data', 'deprecated: --delete-emptydir-data')
    .option('--force', 'also evict pods no controller manages')
    .option('--grace-period <seconds>', 'seconds each pod gets to stop (-1: its own)', '-1')
    .option('--timeout <duration>', 'give up after this long (0s: never)', '0s')
    .option('-l, --selector <selector>', 'the nodes, by label')
    .option('--pod-selector <selector>', 'only the pods with these labels')
    .option('--disable-eviction', 'delete pods instead of evicting them')
    .action(handler(io, 'drain'));

  const top = kubectl.command('top').description('display resource (CPU/memory) usage');
  top
    .command('pod')
    .aliases(['pods', 'po'])
    .description('resource usage of pods')
    .argument('[name]')
    .option('-A, --all-namespaces', 'across all namespaces')
    .option('-l, --selector <selector>', 'the pods, by label')
    .option('--containers', 'one line per container')
    .option('--sort-by <resource>', 'cpu or memory')
    .option('--no-headers', 'do not print headers')
    .action(handler(io, 'top-pod'));
  top
    .command('node')
    .aliases(['nodes', 'no'])
    .description('resource usage of nodes')
    .argument('[name]')
    .option('-l, --selector <selector>', 'the nodes, by label')
    .option('--sort-by <resource>', 'cpu or memory')
    .option('--show-capacity', 'percentages of capacity rather than allocatable')
    .option('--no-headers', 'do not print headers')
    .action(handler(io, 'top-node'));
}

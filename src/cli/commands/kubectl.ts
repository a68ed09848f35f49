/**
 * `bosun kubectl …` (alias `bosun k`): kubectl's commands against the embedded cluster of
 * `$BOSUN_HOME`, with kubectl's flags. Only the command tree lives here; the handlers (and the
 * cluster behind them) load on first use, so other commands start as fast as before.
 */

import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { collect } from '../values-flags.js';
import type { MoreKubectlVerb } from './kubectl-more.js';
import { registerPodVerbs } from './kubectl-pods.js';
import type { KubectlFlags, KubectlVerb } from './kubectl-run.js';
import { registerWorkloadVerbs } from './kubectl-workloads.js';

/** Runs a verb's handler, loaded lazily, with the command's operands and flags. */
function handler(io: CliIO, verb: KubectlVerb) {
  return async (...params: unknown[]): Promise<void> => {
    const cmd = params[params.length - 1] as Command;
    const { runKubectl } = await import('./kubectl-run.js');
    await runKubectl(io, verb, cmd.args, cmd.optsWithGlobals<KubectlFlags>());
  };
}

/** Like {@link handler}, for the verbs of `kubectl-more.ts`. */
function moreHandler(io: CliIO, verb: MoreKubectlVerb) {
  return async (...params: unknown[]): Promise<void> => {
    const cmd = params[params.length - 1] as Command;
    const { runMoreKubectl } = await import('./kubectl-more.js');
    await runMoreKubectl(io, verb, cmd.args, cmd.optsWithGlobals<KubectlFlags>());
  };
}

const addWriteFlags = (cmd: Command): Command =>
  cmd
    .option('--dry-run [strategy]', 'none, client or server')
    .option(
      '--validate [mode]',
      'true/strict, warn, or false/ignore: how unknown fields are treated',
      'strict',
    );

const addSelectFlags = (cmd: Command): Command =>
  cmd
    .option('-A, --all-namespaces', 'across all namespaces')
    .option('-l, --selector <selector>', 'label selector (e.g. -l key1=value1,key2=value2)')
    .option('--field-selector <selector>', 'field selector (e.g. --field-selector status.phase=Running)');

/** Registers `kubectl` and its alias `k`. */
export function registerKubectl(program: Command, io: CliIO): void {
  const kubectl = program
    .command('kubectl')
    .alias('k')
    .description('run kubectl commands against the embedded cluster');

  addSelectFlags(kubectl.command('get').description('display one or many resources').argument('[args...]'))
    .option('-o, --output <format>', 'json, yaml, name, wide, jsonpath=…, custom-columns=…')
    .option('--template <template>', 'template for -o jsonpath')
    .option('--show-labels', 'show all labels as the last column')
    .option('--show-kind', 'list the resource type for each object')
    .option('--no-headers', 'do not print headers')
    .option('-L, --label-columns <keys>', 'a column per label key', collect, [])
    .option('--export', 'strip cluster-specific fields (deprecated)')
    .option('-w, --watch', 'after listing, watch for changes')
    .option('--watch-only', 'watch for changes without listing first')
    .option('--request-timeout <duration>', 'stop watching after this long (1s, 2m, 3h; 0: never)', '0')
    .action(handler(io, 'get'));

  addSelectFlags(
    kubectl.command('describe').description('show details of resources').argument('[args...]'),
  ).action(handler(io, 'describe'));

  addWriteFlags(kubectl.command('apply').description('apply a configuration to resources by file or stdin'))
    .option('-f, --filename <file>', 'file, directory or - for stdin (repeatable)', collect, [])
    .action(handler(io, 'apply'));

  const create = addWriteFlags(
    kubectl.command('create').description('create resources from a file or stdin, or by kind'),
  )
    .option('-f, --filename <file>', 'file, directory or - for stdin (repeatable)', collect, [])
    .action(handler(io, 'create'));
  const generator = (name: string, alias: string | undefined, verb: KubectlVerb, description: string) => {
    const cmd = addWriteFlags(create.command(name).description(description).argument('<name>'));
    if (alias) cmd.alias(alias);
    return cmd.action(handler(io, verb));
  };
  generator('namespace', 'ns', 'create-namespace', 'create a namespace');
  generator('serviceaccount', 'sa', 'create-serviceaccount', 'create a service account');
  const dataFlags = (cmd: Command) =>
    cmd
      .option('--from-literal <key=value>', 'a key and literal value (repeatable)', collect, [])
      .option('--from-file <[key=]path>', 'a file or directory (repeatable)', collect, [])
      .option('--from-env-file <path>', 'a file of KEY=value lines (repeatable)', collect, []);
  dataFlags(generator('configmap', 'cm', 'create-configmap', 'create a config map'));
  dataFlags(
    addWriteFlags(
      create.command('secret').description('create a secret').command('generic').argument('<name>'),
    ).option('--type <type>', 'the type of secret'),
  ).action(handler(io, 'create-secret'));
  generator('deployment', 'deploy', 'create-deployment', 'create a deployment')
    .option('--image <image>', 'image (repeatable)', collect, [])
    .option('-r, --replicas <n>', 'number of replicas')
    .option('--port <port>', 'the container port');
  const service = create.command('service').alias('svc').description('create a service');
  for (const type of ['clusterip', 'nodeport']) {
    addWriteFlags(service.command(type).argument('<name>').description(`create a ${type} service`))
      .option('--tcp <port:targetPort>', 'port pairs (repeatable)', collect, [])
      .option('--clusterip <ip>', 'ClusterIP ("None" for headless)')
      .option('--node-port <port>', 'the node port (nodeport)')
      .action(handler(io, type === 'clusterip' ? 'create-service-clusterip' : 'create-service-nodeport'));
  }
  addWriteFlags(
    service.command('externalname').argument('<name>').description('create an ExternalName service'),
  )
    .option('--external-name <name>', 'external name of the service')
    .option('--tcp <port:targetPort>', 'port pairs (repeatable)', collect, [])
    .action(moreHandler(io, 'create-service-externalname'));
  for (const cluster of [false, true]) {
    const kind = cluster ? 'clusterrole' : 'role';
    addWriteFlags(create.command(kind).argument('<name>').description(`create a ${kind}`))
      .option('--verb <verbs>', 'verbs that apply to the resources (repeatable)', collect, [])
      .option('--resource <resources>', 'resources the rule applies to (repeatable)', collect, [])
      .option('--resource-name <names>', 'resource names in the white list (repeatable)', collect, [])
      .action(moreHandler(io, cluster ? 'create-clusterrole' : 'create-role'));
    const bindingCmd = addWriteFlags(
      create.command(`${kind}binding`).argument('<name>').description(`create a ${kind}binding`),
    ).option('--clusterrole <role>', 'the ClusterRole referenced');
    if (!cluster) bindingCmd.option('--role <role>', 'the Role referenced');
    bindingCmd
      .option('--user <user>', 'usernames to bind (repeatable)', collect, [])
      .option('--group <group>', 'groups to bind (repeatable)', collect, [])
      .option('--serviceaccount <ns:name>', 'service accounts to bind (repeatable)', collect, [])
      .action(moreHandler(io, cluster ? 'create-clusterrolebinding' : 'create-rolebinding'));
  }

  addSelectFlags(
    addWriteFlags(kubectl.command('delete').description('delete resources').argument('[args...]')),
  )
    .option('-f, --filename <file>', 'file, directory or - for stdin (repeatable)', collect, [])
    .option('--all', 'every resource of the kinds in the namespace')
    .option('--ignore-not-found', 'treat "resource not found" as a successful delete')
    .action(handler(io, 'delete'));

  for (const verb of ['label', 'annotate'] as const) {
    addWriteFlags(
      kubectl
        .command(verb)
        .description(`update the ${verb === 'label' ? 'labels' : 'annotations'} on resources`)
        .argument('[args...]'),
    )
      .option('--overwrite', 'allow existing values to be overwritten')
      .option('--all', 'every resource of the kinds in the namespace')
      .option('-l, --selector <selector>', 'label selector')
      .action(handler(io, verb));
  }

  addWriteFlags(kubectl.command('patch').description('update fields of a resource').argument('[args...]'))
    .option('-p, --patch <patch>', 'the patch (JSON or YAML)')
    .option('--type <type>', 'json, merge or strategic', 'strategic')
    .action(handler(io, 'patch'));

  kubectl
    .command('explain')
    .description('documentation of resources and their fields')
    .argument('[args...]')
    .option('--recursive', 'print the fields of fields')
    .action(moreHandler(io, 'explain'));

  kubectl
    .command('edit')
    .description('edit a resource in $KUBE_EDITOR or $EDITOR')
    .argument('[args...]')
    .option('-o, --output <format>', 'yaml or json', 'yaml')
    .action(moreHandler(io, 'edit'));

  kubectl
    .command('api-resources')
    .description('print the supported API resources')
    .option('-o, --output <format>', 'wide or name')
    .option('--namespaced <bool>', 'only namespaced (true) or cluster-scoped (false) resources')
    .option('--api-group <group>', 'only resources of this API group')
    .option('--no-headers', 'do not print headers')
    .action(handler(io, 'api-resources'));

  kubectl
    .command('version')
    .description('print the client and server version information')
    .option('--client', 'client version only')
    .option('-o, --output <format>', 'yaml or json')
    .action(handler(io, 'version'));

  const config = kubectl.command('config').description('modify the kubeconfig of $BOSUN_HOME');
  config
    .command('get-contexts')
    .argument('[names...]')
    .option('--no-headers', 'do not print headers')
    .action(handler(io, 'config-get-contexts'));
  config.command('current-context').action(handler(io, 'config-current-context'));
  config
    .command('set-context')
    .argument('[name]')
    .option('--current', 'modify the current context')
    .option('--namespace <namespace>', 'the context namespace')
    .option('--cluster <cluster>', 'the context cluster')
    .option('--user <user>', 'the context user')
    .action(handler(io, 'config-set-context'));
  config.command('use-context').argument('<name>').action(handler(io, 'config-use-context'));
  config.command('view').action(handler(io, 'config-view'));

  registerWorkloadVerbs(kubectl, io);
  registerPodVerbs(kubectl, io);
}

/**
 * kubectl's workload verbs: `scale`, `rollout status|history|undo|restart|pause|resume`,
 * `set image` and `set env`. Only the command tree is built here; the handlers load the actions
 * (and the cluster behind them) on first use, as the other kubectl verbs do.
 */

import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { collect } from '../values-flags.js';
import type { KubectlFlags, Session } from './kubectl-session.js';

/** The flags of the workload verbs, besides the common ones. */
export interface WorkloadFlags extends KubectlFlags {
  readonly currentReplicas?: string;
  readonly resourceVersion?: string;
  readonly revision?: string;
  readonly toRevision?: string;
  readonly timeout?: string;
  readonly record?: string | boolean;
  readonly env?: string[];
  readonly containers?: string;
  readonly list?: boolean;
  readonly from?: string;
  readonly prefix?: string;
  readonly keys?: string[];
  readonly watch?: boolean;
}

/** The verbs this module handles. */
export type WorkloadVerb =
  | 'scale'
  | 'rollout-status'
  | 'rollout-history'
  | 'rollout-undo'
  | 'rollout-restart'
  | 'rollout-pause'
  | 'rollout-resume'
  | 'set-image'
  | 'set-env';

/** A boolean flag that may be given a value (`--watch=false`). */
function boolFlag(value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return fallback;
}

/** The kubectl command line, for `--record` (`kubectl set image deployment/web web=nginx:1.28`). */
function commandLine(cmd: Command): string {
  let root = cmd;
  while (root.parent) root = root.parent;
  const raw = (root as Command & { rawArgs?: string[] }).rawArgs ?? [];
  const at = raw.findIndex((a) => a === 'kubectl' || a === 'k');
  return ['kubectl', ...(at < 0 ? raw : raw.slice(at + 1))].join(' ');
}

/** Runs one verb: loads the session helpers and the actions, then the handler. */
async function runVerb(io: CliIO, verb: WorkloadVerb, cmd: Command): Promise<void> {
  const session = await import('./kubectl-session.js');
  const actions = await import('../../action/kubectl/index.js');
  const { connected, dryRun, integer, printWrite, requestTimeout } = session;
  const flags = cmd.optsWithGlobals<WorkloadFlags>();
  const recorded = boolFlag(flags.record, false);
  const changeCause = recorded ? { changeCause: commandLine(cmd) } : {};
  const selector = flags.selector ? { labelSelector: flags.selector } : {};
  const rollout = (s: Session, run: (a: InstanceType<typeof actions.RolloutAction>) => Promise<void>) =>
    connected(s, (c) => run(new actions.RolloutAction({ ...c, ...selector })));
  const handlers: Record<WorkloadVerb, (s: Session) => Promise<void>> = {
    scale: (s) =>
      connected(s, async (c) => {
        const replicas = integer(flags.replicas, 'replicas');
        const current = integer(flags.currentReplicas, 'current-replicas');
        const action = new actions.ScaleAction({
          ...c,
          replicas: flags.replicas === undefined ? undefined : replicas,
          ...(current === undefined ? {} : { currentReplicas: current }),
          ...(flags.resourceVersion ? { resourceVersion: flags.resourceVersion } : {}),
          all: Boolean(flags.all),
          ...selector,
          dryRun: dryRun(flags.dryRun),
        });
        printWrite(s.io, await action.run(s.args));
      }),
    'rollout-status': (s) =>
      connected(s, async (c) => {
        const action = new actions.RolloutAction({ ...c, ...selector });
        const revision = integer(flags.revision, 'revision') ?? 0;
        const timeoutMs = requestTimeout(flags.timeout ?? '0');
        let interrupted = false;
        const release = s.io.onInterrupt?.(() => {
          interrupted = true;
        });
        try {
          await action.status(
            s.args,
            {
              revision,
              watch: boolFlag(flags.watch, true),
              timeoutMs,
              stopped: () => interrupted,
              sleep: async (ms) => {
                await c.client.sleep(ms);
                // Lets an interrupt in between the polls of a cluster that answers at once.
                await new Promise((resolve) => setImmediate(resolve));
              },
            },
            (line) => s.io.stdout.write(`${line}\n`),
          );
        } finally {
          release?.();
        }
      }),
    'rollout-history': (s) =>
      rollout(s, async (action) => {
        const result = await action.history(s.args, integer(flags.revision, 'revision') ?? 0);
        s.io.stdout.write(result.text);
        printWrite(s.io, { lines: [], errors: result.errors });
      }),
    'rollout-undo': (s) =>
      rollout(s, async (action) => {
        printWrite(
          s.io,
          await action.undo(s.args, integer(flags.toRevision, 'to-revision') ?? 0, dryRun(flags.dryRun)),
        );
      }),
    'rollout-restart': (s) => rollout(s, async (action) => printWrite(s.io, await action.restart(s.args))),
    'rollout-pause': (s) => rollout(s, async (action) => printWrite(s.io, await action.pause(s.args))),
    'rollout-resume': (s) => rollout(s, async (action) => printWrite(s.io, await action.resume(s.args))),
    'set-image': (s) =>
      connected(s, async (c) => {
        if (recorded) s.io.stderr.write(`${actions.RECORD_DEPRECATION}\n`);
        const action = new actions.SetImageAction({
          ...c,
          all: Boolean(flags.all),
          ...selector,
          dryRun: dryRun(flags.dryRun),
          ...changeCause,
        });
        printWrite(s.io, await action.run(s.args));
      }),
    'set-env': (s) =>
      connected(s, async (c) => {
        const action = new actions.SetEnvAction({
          ...c,
          all: Boolean(flags.all),
          ...selector,
          dryRun: dryRun(flags.dryRun),
          env: flags.env ?? [],
          ...(flags.containers ? { containers: flags.containers } : {}),
          list: Boolean(flags.list),
          overwrite: boolFlag(flags.overwrite, true),
          ...(flags.from ? { from: flags.from } : {}),
          ...(flags.prefix ? { prefix: flags.prefix } : {}),
          ...(flags.keys && flags.keys.length > 0 ? { keys: flags.keys.flatMap((k) => k.split(',')) } : {}),
        });
        const result = await action.run(s.args);
        s.io.stdout.write(result.text);
        for (const warning of result.warnings) s.io.stderr.write(`${warning}\n`);
        printWrite(s.io, result);
      }),
  };
  await session.runSession(io, handlers[verb], cmd.args, flags);
}

/** The handler of one verb (the command is the last of commander's arguments). */
function handler(io: CliIO, verb: WorkloadVerb) {
  return async (...params: unknown[]): Promise<void> => {
    await runVerb(io, verb, params[params.length - 1] as Command);
  };
}

const addDryRun = (cmd: Command): Command => cmd.option('--dry-run [strategy]', 'none, client or server');

/** Registers the verbs under `kubectl`. */
export function registerWorkloadVerbs(kubectl: Command, io: CliIO): void {
  addDryRun(
    kubectl
      .command('scale')
      .description('set a new size for a deployment, replica set, replication controller, or stateful set')
      .argument('[args...]'),
  )
    .option('--replicas <count>', 'the new desired number of replicas (required)')
    .option('--current-replicas <count>', 'precondition for the current size')
    .option('--resource-version <version>', 'precondition for the resource version')
    .option('--all', 'every resource of the kinds in the namespace')
    .option('-l, --selector <selector>', 'label selector')
    .action(handler(io, 'scale'));

  const rollout = kubectl.command('rollout').description('manage the rollout of a resource');
  rollout
    .command('status')
    .description('show the status of the rollout')
    .argument('[args...]')
    .option('-w, --watch [bool]', 'watch the status of the rollout until it is done (default true)')
    .option('--revision <n>', 'pin to a specific revision for showing its status')
    .option('--timeout <duration>', 'how long to wait before ending (0: never)', '0s')
    .option('-l, --selector <selector>', 'label selector')
    .action(handler(io, 'rollout-status'));
  rollout
    .command('history')
    .description('view rollout history')
    .argument('[args...]')
    .option('--revision <n>', 'see the details, including the pod template, of this revision')
    .option('-l, --selector <selector>', 'label selector')
    .action(handler(io, 'rollout-history'));
  addDryRun(rollout.command('undo').description('undo a previous rollout').argument('[args...]'))
    .option('--to-revision <n>', 'the revision to roll back to (0: the previous one)')
    .option('-l, --selector <selector>', 'label selector')
    .action(handler(io, 'rollout-undo'));
  for (const [name, description] of [
    ['restart', 'restart a resource'],
    ['pause', 'mark the provided resource as paused'],
    ['resume', 'resume a paused resource'],
  ] as const) {
    rollout
      .command(name)
      .description(description)
      .argument('[args...]')
      .option('-l, --selector <selector>', 'label selector')
      .action(handler(io, `rollout-${name}`));
  }

  const set = kubectl.command('set').description('set specific features on objects');
  addDryRun(set.command('image').description('update the image of a pod template').argument('[args...]'))
    .option('--all', 'every resource of the kinds in the namespace')
    .option('-l, --selector <selector>', 'label selector')
    .option('--record [bool]', 'record the command in the resource annotation (deprecated)')
    .action(handler(io, 'set-image'));
  addDryRun(
    set.command('env').description('update environment variables on a pod template').argument('[args...]'),
  )
    .option('-e, --env <KEY=VALUE>', 'an environment variable to set (repeatable)', collect, [])
    .option('-c, --containers <names>', 'the containers to change (a glob)', '*')
    .option('--list', 'list the environment variables instead of changing them')
    .option('--overwrite [bool]', 'allow changing variables that exist (default true)')
    .option('--from <resource>', 'a config map or secret to take variables from')
    .option('--prefix <prefix>', 'prefix for the names of variables from --from')
    .option('--keys <keys>', 'keys of --from to use (repeatable)', collect, [])
    .option('--all', 'every resource of the kinds in the namespace')
    .option('-l, --selector <selector>', 'label selector')
    .action(handler(io, 'set-env'));
}

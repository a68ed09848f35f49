/**
 * The handlers of kubectl's pod and node verbs (loaded on first use): flags → action options →
 * action → kubectl's printing and exit codes. Commands that follow something (`logs -f`, an
 * attached `run`, `drain`) stop on an interrupt and keep pace with the wall clock.
 */

import {
  asGenerated,
  CordonAction,
  DrainAction,
  ErrorList,
  ExecAction,
  ExposeAction,
  execOperands,
  LogsAction,
  parseGoDuration,
  planRun,
  RunAction,
  type RunCreated,
  TaintAction,
  TopAction,
  usageError,
} from '../../action/kubectl/index.js';
import type { KubeClient, KubeObject } from '../../kube/index.js';
import { parseOutputFlag, printObjects } from '../../kube/printing.js';
import { ExitError } from '../errors.js';
import type { CliIO } from '../io.js';
import { formatRows, reportErrors } from './kubectl-output.js';
import {
  connected,
  dryRun,
  integer,
  type KubectlFlags,
  runSession,
  type Session,
  validation,
} from './kubectl-session.js';

/** The verbs this module handles. */
export type PodVerb =
  | 'run'
  | 'expose'
  | 'logs'
  | 'exec'
  | 'taint'
  | 'cordon'
  | 'uncordon'
  | 'drain'
  | 'top-pod'
  | 'top-node';

/** The flags of these verbs (each command defines its own subset). */
export interface PodVerbFlags {
  readonly namespace?: string;
  /** Operands before `--` (-1 without one). */
  readonly dashAt?: number;
  readonly dryRun?: string | boolean;
  readonly validate?: string | boolean;
  readonly output?: string;
  readonly image?: string;
  readonly restart?: string;
  readonly schedule?: string;
  readonly generator?: string;
  readonly replicas?: string;
  readonly port?: string;
  readonly expose?: boolean;
  readonly labels?: string;
  readonly env?: string[];
  readonly serviceaccount?: string;
  readonly imagePullPolicy?: string;
  readonly command?: boolean;
  readonly limits?: string;
  readonly requests?: string;
  readonly rm?: boolean;
  readonly stdin?: boolean;
  readonly tty?: boolean;
  readonly attach?: boolean;
  readonly podRunningTimeout?: string;
  readonly targetPort?: string;
  readonly type?: string;
  readonly name?: string;
  readonly nodePort?: string;
  readonly externalIp?: string;
  readonly protocol?: string;
  readonly selector?: string;
  readonly clusterIp?: string;
  readonly sessionAffinity?: string;
  readonly container?: string;
  readonly follow?: boolean;
  readonly tail?: string;
  readonly previous?: boolean;
  readonly timestamps?: boolean;
  readonly since?: string;
  readonly allContainers?: boolean;
  readonly prefix?: boolean;
  readonly limitBytes?: string;
  readonly maxLogRequests?: string;
  readonly quiet?: boolean;
  readonly overwrite?: boolean;
  readonly all?: boolean;
  readonly ignoreDaemonsets?: boolean;
  readonly deleteEmptydirData?: boolean;
  readonly deleteLocalData?: boolean;
  readonly force?: boolean;
  readonly gracePeriod?: string;
  readonly timeout?: string;
  readonly podSelector?: string;
  readonly disableEviction?: boolean;
  readonly allNamespaces?: boolean;
  readonly containers?: boolean;
  readonly sortBy?: string;
  readonly showCapacity?: boolean;
  readonly headers?: boolean;
}

const flagsOf = (s: Session): PodVerbFlags => s.flags as unknown as PodVerbFlags;

/** `--dry-run` alone means `client`, as kubectl has read it since 1.18. */
const dryRunOf = (value: string | boolean | undefined) => dryRun(value === true ? 'client' : value);

/** A Go duration flag in ms, refused in kubectl's words. */
function durationFlag(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseGoDuration(value);
  if (ms === undefined)
    throw usageError(
      `invalid argument "${value}" for "--${flag}" flag: time: invalid duration ${JSON.stringify(value)}`,
    );
  return ms;
}

/** `--pod-running-timeout`, which must be positive. */
function podRunningTimeout(f: PodVerbFlags): number | undefined {
  const ms = durationFlag(f.podRunningTimeout, 'pod-running-timeout');
  if (ms !== undefined && ms <= 0) throw usageError('--pod-running-timeout must be higher than zero');
  return ms;
}

/** Interrupts (Ctrl-C) for a command that follows: whether one came, and a wait it cuts short. */
function interruptible(io: CliIO): {
  stopped: () => boolean;
  wait: (ms: number) => Promise<void>;
  release: () => void;
} {
  let interrupted = false;
  let wake: (() => void) | undefined;
  const release = io.onInterrupt?.(() => {
    interrupted = true;
    wake?.();
  });
  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      if (interrupted) return resolve();
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });
  return { stopped: () => interrupted, wait, release: () => release?.() };
}

/** Lets `ms` of cluster time pass in step with the wall clock (a real cluster's sleep already is). */
const paced =
  (client: KubeClient, wait: (ms: number) => Promise<void>) =>
  async (ms: number): Promise<void> => {
    await Promise.all([client.sleep(ms), wait(ms)]);
  };

/** Prints objects in a non-table `-o` format (YAML documents separated by `---`). */
function printOutput(io: CliIO, objects: readonly KubeObject[], output: string): void {
  const parsed = parseOutputFlag(output);
  if (parsed.type === 'table' || parsed.type === 'wide' || parsed.type.endsWith('-file'))
    throw usageError(`output format "${output}" is not supported here`);
  const texts = objects.map(
    (o) => printObjects([o], parsed as Parameters<typeof printObjects>[1], { singleItem: true }).stdout,
  );
  io.stdout.write(parsed.type === 'yaml' ? texts.join('---\n') : texts.join(''));
}

const HANDLERS: Record<PodVerb, (s: Session) => Promise<void>> = {
  run: (s) => run(s),
  expose: (s) =>
    connected(s, async (c) => {
      const f = flagsOf(s);
      const mode = dryRunOf(f.dryRun);
      const nodePort = integer(f.nodePort, 'node-port');
      const action = new ExposeAction({
        ...c,
        dryRun: mode,
        ...(f.port === undefined ? {} : { port: f.port }),
        ...(f.targetPort === undefined ? {} : { targetPort: f.targetPort }),
        ...(f.type === undefined ? {} : { type: f.type }),
        ...(f.name === undefined ? {} : { name: f.name }),
        ...(nodePort === undefined ? {} : { nodePort }),
        ...(f.externalIp === undefined ? {} : { externalIP: f.externalIp }),
        ...(f.protocol === undefined ? {} : { protocol: f.protocol }),
        ...(f.selector === undefined ? {} : { selector: f.selector }),
        ...(f.labels === undefined ? {} : { labels: f.labels }),
        ...(f.clusterIp === undefined ? {} : { clusterIP: f.clusterIp }),
        ...(f.sessionAffinity === undefined ? {} : { sessionAffinity: f.sessionAffinity }),
      });
      const result = await action.run(s.args);
      if (f.output)
        printOutput(s.io, [mode === 'client' ? asGenerated(result.service) : result.service], f.output);
      else s.io.stdout.write(`${result.line}\n`);
    }),
  logs: (s) =>
    connected(s, async (c) => {
      const f = flagsOf(s);
      const tail = integer(f.tail, 'tail');
      const limitBytes = integer(f.limitBytes, 'limit-bytes');
      const maxLogRequests = integer(f.maxLogRequests, 'max-log-requests');
      const since = durationFlag(f.since, 'since');
      const timeout = podRunningTimeout(f);
      const follow = interruptible(s.io);
      try {
        await new LogsAction({
          ...c,
          ...(f.container ? { container: f.container } : {}),
          allContainers: Boolean(f.allContainers),
          ...(f.selector ? { labelSelector: f.selector } : {}),
          follow: Boolean(f.follow),
          ...(tail === undefined ? {} : { tail }),
          previous: Boolean(f.previous),
          timestamps: Boolean(f.timestamps),
          ...(since === undefined ? {} : { sinceSeconds: Math.round(since / 1000) }),
          ...(limitBytes === undefined ? {} : { limitBytes }),
          prefix: Boolean(f.prefix),
          ...(maxLogRequests === undefined ? {} : { maxLogRequests }),
          ...(timeout === undefined ? {} : { podRunningTimeoutMs: timeout }),
          pace: paced(c.client, follow.wait),
          stopped: follow.stopped,
        }).run(s.args, { out: (t) => s.io.stdout.write(t), err: (t) => s.io.stderr.write(t) });
      } finally {
        follow.release();
      }
    }),
  exec: (s) =>
    connected(s, async (c) => {
      const f = flagsOf(s);
      const { target, command } = execOperands(s.args, f.dashAt ?? -1);
      const timeout = podRunningTimeout(f);
      const stdin = f.stdin ? await s.io.readStdin() : undefined;
      const result = await new ExecAction({
        ...c,
        ...(f.container ? { container: f.container } : {}),
        ...(stdin === undefined ? {} : { stdin }),
        tty: Boolean(f.tty),
        quiet: Boolean(f.quiet),
        ...(timeout === undefined ? {} : { podRunningTimeoutMs: timeout }),
      }).run(target, command);
      for (const notice of result.notices) s.io.stderr.write(`${notice}\n`);
      s.io.stdout.write(result.stdout);
      s.io.stderr.write(result.stderr);
      if (result.exitCode !== 0) {
        s.io.stderr.write(`command terminated with exit code ${result.exitCode}\n`);
        throw new ExitError(result.exitCode);
      }
    }),
  taint: (s) =>
    connected(s, async (c) => {
      const f = flagsOf(s);
      const result = await new TaintAction({
        ...c,
        overwrite: Boolean(f.overwrite),
        all: Boolean(f.all),
        ...(f.selector ? { labelSelector: f.selector } : {}),
        dryRun: dryRunOf(f.dryRun),
      }).run(s.args);
      for (const line of result.lines) s.io.stdout.write(`${line}\n`);
      reportErrors(s.io, result.errors);
    }),
  cordon: (s) => cordon(s, true),
  uncordon: (s) => cordon(s, false),
  drain: (s) => drain(s),
  'top-pod': (s) => top(s, 'pods'),
  'top-node': (s) => top(s, 'nodes'),
};

function cordon(s: Session, desired: boolean): Promise<void> {
  return connected(s, async (c) => {
    const f = flagsOf(s);
    const result = await new CordonAction({
      ...c,
      ...(f.selector ? { labelSelector: f.selector } : {}),
      dryRun: dryRunOf(f.dryRun),
    }).run(s.args, desired);
    for (const line of result.lines) s.io.stdout.write(`${line}\n`);
    for (const warning of result.warnings ?? []) s.io.stderr.write(`${warning}\n`);
    reportErrors(s.io, result.errors);
  });
}

async function drain(s: Session): Promise<void> {
  const f = flagsOf(s);
  const grace = integer(f.gracePeriod, 'grace-period');
  const timeout = durationFlag(f.timeout, 'timeout');
  if (f.deleteLocalData)
    s.io.stderr.write(
      'Flag --delete-local-data has been deprecated, This option is deprecated and will be deleted. Use --delete-emptydir-data.\n',
    );
  await connected(s, async (c) => {
    const follow = interruptible(s.io);
    let fatal: readonly Error[];
    try {
      fatal = await new DrainAction({
        ...c,
        ignoreDaemonSets: Boolean(f.ignoreDaemonsets),
        deleteEmptyDirData: Boolean(f.deleteEmptydirData || f.deleteLocalData),
        force: Boolean(f.force),
        ...(grace === undefined ? {} : { gracePeriodSeconds: grace }),
        ...(timeout === undefined ? {} : { timeoutMs: timeout }),
        ...(f.selector ? { labelSelector: f.selector } : {}),
        ...(f.podSelector ? { podSelector: f.podSelector } : {}),
        disableEviction: Boolean(f.disableEviction),
        dryRun: dryRunOf(f.dryRun),
        stopped: follow.stopped,
      }).run(s.args, { out: (l) => s.io.stdout.write(`${l}\n`), err: (l) => s.io.stderr.write(`${l}\n`) });
    } finally {
      follow.release();
    }
    if (fatal.length === 0) return;
    // kubectl's CheckErr: an aggregate prints one error a line, bare; a lone error as `error: …`.
    const only = fatal.length === 1 ? fatal[0]! : new ErrorList(fatal.map((e) => e.message));
    if (!(only instanceof ErrorList)) return reportErrors(s.io, [only]);
    for (const message of only.messages) s.io.stderr.write(`${message}\n`);
    throw new ExitError(1);
  });
}

function top(s: Session, what: 'pods' | 'nodes'): Promise<void> {
  return connected(s, async (c) => {
    const f = flagsOf(s);
    const action = new TopAction({
      ...c,
      allNamespaces: Boolean(f.allNamespaces),
      ...(f.selector ? { labelSelector: f.selector } : {}),
      containers: Boolean(f.containers),
      ...(f.sortBy ? { sortBy: f.sortBy } : {}),
      showCapacity: Boolean(f.showCapacity),
    });
    const result = what === 'pods' ? await action.pods(s.args[0]) : await action.nodes(s.args[0]);
    s.io.stdout.write(formatRows(result.rows, f.headers === false));
    if (result.notice) s.io.stderr.write(`${result.notice}\n`);
  });
}

/** `kubectl run`: create, print (or attach, then `--rm`). */
async function run(s: Session): Promise<void> {
  const f = flagsOf(s);
  const mode = dryRunOf(f.dryRun);
  const replicas = integer(f.replicas, 'replicas');
  const port = integer(f.port, 'port');
  const attach = f.attach ?? Boolean(f.stdin);
  if (f.tty && !f.stdin) throw usageError('-i/--stdin is required for containers with -t/--tty=true');
  if (f.rm && !attach) throw usageError('--rm should only be used for attached containers');
  if (attach && mode !== 'none')
    throw usageError(
      "--dry-run can't be used with attached containers options (--attach, --stdin, or --tty)",
    );
  if (attach && replicas !== undefined && replicas !== 1)
    throw usageError(`-i/--stdin requires that replicas is 1, found ${replicas}`);
  const timeout = podRunningTimeout(f);
  const [name = '', ...args] = s.args;
  const plan = planRun(name, {
    ...(f.image === undefined ? {} : { image: f.image }),
    args,
    command: Boolean(f.command),
    ...(f.restart === undefined ? {} : { restart: f.restart }),
    ...(f.schedule === undefined ? {} : { schedule: f.schedule }),
    ...(f.generator === undefined ? {} : { generator: f.generator }),
    ...(replicas === undefined ? {} : { replicas }),
    ...(port === undefined ? {} : { port }),
    ...(f.labels === undefined ? {} : { labels: f.labels }),
    env: f.env ?? [],
    ...(f.serviceaccount === undefined ? {} : { serviceAccount: f.serviceaccount }),
    ...(f.imagePullPolicy === undefined ? {} : { imagePullPolicy: f.imagePullPolicy }),
    ...(f.limits === undefined ? {} : { limits: f.limits }),
    ...(f.requests === undefined ? {} : { requests: f.requests }),
    stdin: Boolean(f.stdin),
    tty: Boolean(f.tty),
    expose: Boolean(f.expose),
  });
  if (plan.deprecation) s.io.stderr.write(`${plan.deprecation}\n`);
  await connected(s, async (c) => {
    const action = new RunAction({ ...c, dryRun: mode, validation: validation(f.validate) });
    const created = await action.create(plan);
    const shown = (o: KubeObject) => (mode === 'client' ? asGenerated(o) : o);
    // kubectl prints the Service as it creates it, the run object once done (not when attached).
    const printed = [created.service, attach ? undefined : created.object].filter(
      (o): o is KubeObject => o !== undefined,
    );
    if (f.output) printOutput(s.io, printed.map(shown), f.output);
    else for (const o of printed) s.io.stdout.write(`${await action.createdLine(o)}\n`);
    if (!attach) return;
    await attached(s, c.client, action, created, plan.restartPolicy, {
      ...(f.stdin ? { stdin: () => s.io.readStdin() } : {}),
      tty: Boolean(f.tty),
      rm: Boolean(f.rm),
      ...(timeout === undefined ? {} : { timeout }),
    });
  });
}

/** The attached part of `run`: the session, then `--rm`, then the exit code. */
async function attached(
  s: Session,
  client: KubeClient,
  action: RunAction,
  created: RunCreated,
  restartPolicy: 'Always' | 'OnFailure' | 'Never',
  options: { stdin?: () => Promise<string>; tty: boolean; rm: boolean; timeout?: number },
): Promise<void> {
  const follow = interruptible(s.io);
  let failure: unknown;
  let outcome: { exitCode: number; message?: string } = { exitCode: 0 };
  try {
    outcome = await action.attach(
      created.object,
      restartPolicy,
      { out: (t) => s.io.stdout.write(t), err: (t) => s.io.stderr.write(t) },
      {
        ...(options.stdin === undefined ? {} : { stdin: options.stdin }),
        tty: options.tty,
        ...(options.timeout === undefined ? {} : { podRunningTimeoutMs: options.timeout }),
        pace: paced(client, follow.wait),
        stopped: follow.stopped,
      },
    );
  } catch (error) {
    failure = error;
  } finally {
    follow.release();
  }
  if (options.rm) for (const line of await action.remove(created)) s.io.stdout.write(`${line}\n`);
  if (failure !== undefined) throw failure;
  if (outcome.message)
    s.io.stderr.write(outcome.message.endsWith('\n') ? outcome.message : `${outcome.message}\n`);
  if (outcome.exitCode !== 0) throw new ExitError(outcome.exitCode);
}

/** Runs one of this module's kubectl commands; failures are printed in kubectl's words and exit 1. */
export function runPodVerb(
  io: CliIO,
  verb: PodVerb,
  args: readonly string[],
  flags: PodVerbFlags,
): Promise<void> {
  return runSession(io, HANDLERS[verb], args, flags as unknown as KubectlFlags);
}

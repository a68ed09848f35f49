/**
 * The handlers of kubectl's pod and node verbs (loaded on first use): flags → action options →
 * action → kubectl's printing and exit codes. Commands that follow something (`logs -f`, an
 * attached `run`, `drain`) stop on an interrupt and keep pace with the wall clock
 * (`kubectl-follow.ts`). The flags are read in `kubectl-pods-flags.ts`; `run`, with its attached
 * session and `--rm`, is `kubectl-run-verb.ts`.
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
  TaintAction,
  TopAction,
} from '../../action/kubectl/index.js';
import { ExitError } from '../errors.js';
import type { CliIO } from '../io.js';
import { interruptible, paced } from './kubectl-follow.js';
import { formatRows, reportErrors } from './kubectl-output.js';
import {
  dryRunOf,
  durationFlag,
  flagsOf,
  type PodVerb,
  type PodVerbFlags,
  podRunningTimeout,
  printOutput,
} from './kubectl-pods-flags.js';
import { runVerb } from './kubectl-run-verb.js';
import { connected, integer, type KubectlFlags, runSession, type Session } from './kubectl-session.js';

export type { PodVerb, PodVerbFlags } from './kubectl-pods-flags.js';

const HANDLERS: Record<PodVerb, (s: Session) => Promise<void>> = {
  run: (s) => runVerb(s),
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

/** Runs one of this module's kubectl commands; failures are printed in kubectl's words and exit 1. */
export function runPodVerb(
  io: CliIO,
  verb: PodVerb,
  args: readonly string[],
  flags: PodVerbFlags,
): Promise<void> {
  return runSession(io, HANDLERS[verb], args, flags as unknown as KubectlFlags);
}

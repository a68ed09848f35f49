/**
 * `kubectl run`: creates what the generator planned (`run-generators.ts`) and prints kubectl's
 * lines; with `-i`, attaches: waits (cluster time) for the pod, shows what it prints (a shell
 * reads the given standard input), exits with a `--restart=Never` pod's code and, with `--rm`,
 * deletes what it created.
 */

import { type FieldValidation, type KubeObject, kindName } from '../../kube/index.js';
import { type DryRun, dryRunSuffix, type KubectlOptions, metaString } from './context.js';
import { followLogs, type LogsOutput } from './logs.js';
import {
  byActiveReversed,
  field,
  firstPod,
  isCompleted,
  isReady,
  objects,
  phaseOf,
  podSelectorOf,
} from './pods.js';
import type { RunPlan } from './run-generators.js';

/** Options of {@link RunAction}. */
export interface RunActionOptions extends KubectlOptions {
  /** @default 'none' */
  readonly dryRun?: DryRun;
  /** @default 'Strict' */
  readonly validation?: FieldValidation;
}

/** What `run` created: the objects as stored (or as built with `--dry-run=client`). */
export interface RunCreated {
  readonly object: KubeObject;
  readonly service?: KubeObject;
}

/** How an attached `run` waits and what it reads. */
export interface AttachOptions {
  /** Reads what a shell in the container reads (`-i`), once attached; undefined without `-i`. */
  readonly stdin?: () => Promise<string>;
  /** `-t`. @default false */
  readonly tty?: boolean;
  /** `--pod-running-timeout` (ms). @default 60000 */
  readonly podRunningTimeoutMs?: number;
  /** Waits between polls while the output streams. @default the client's `sleep` */
  readonly pace?: (ms: number) => Promise<void>;
  /** Whether to stop (interrupted). @default never */
  readonly stopped?: () => boolean;
}

/** How an attached `run` ended. */
export interface AttachOutcome {
  /** The command's exit code. */
  readonly exitCode: number;
  /** What kubectl prints on stderr as it exits (`pod default/x terminated (Error)`). */
  readonly message?: string;
}

const SHELLS = new Set(['sh', 'ash', 'bash', '/bin/sh', '/bin/ash', '/bin/bash', '/bin/busybox']);

/** `kubectl run`. */
export class RunAction {
  constructor(private readonly options: RunActionOptions) {}

  /** Creates the plan's object, then its Service; a client dry run creates nothing. */
  async create(plan: RunPlan): Promise<RunCreated> {
    const { client, namespace = 'default', dryRun = 'none', validation = 'Strict' } = this.options;
    if (dryRun === 'client')
      return { object: plan.object, ...(plan.service ? { service: plan.service } : {}) };
    const write = (object: KubeObject) =>
      client.create(object, {
        namespace,
        fieldManager: 'kubectl-run',
        fieldValidation: validation,
        ...(dryRun === 'server' ? { dryRun: true } : {}),
      });
    const object = await write(plan.object);
    const service = plan.service ? await write(plan.service) : undefined;
    return { object, ...(service ? { service } : {}) };
  }

  /** kubectl's line for a created object: `deployment.apps/web created`. */
  async createdLine(object: KubeObject): Promise<string> {
    return `${await this.prefix(object)}/${metaString(object, 'name')} created${dryRunSuffix(this.options.dryRun ?? 'none')}`;
  }

  /**
   * Attaches to the pod of what `run` created: waits (cluster time) for it to run or finish, then
   * writes its output (a shell given `stdin` runs it; otherwise its log, followed while it runs);
   * a `Never`-restarting pod's exit code becomes the command's.
   */
  async attach(
    created: KubeObject,
    restartPolicy: RunPlan['restartPolicy'],
    output: LogsOutput,
    options: AttachOptions = {},
  ): Promise<AttachOutcome> {
    const { client, namespace = 'default' } = this.options;
    const timeout = options.podRunningTimeoutMs ?? 60_000;
    const pace = options.pace ?? ((ms: number) => client.sleep(ms));
    const stopped = options.stopped ?? (() => false);
    await client.settle();
    const name =
      created.kind === 'Pod'
        ? metaString(created, 'name')
        : metaString(
            (await firstPod(client, namespace, runSelectorOf(created), byActiveReversed, timeout)).pod,
            'name',
          );
    let pod = await this.waitFor(
      name,
      (p) => isCompleted(p) || (phaseOf(p) === 'Running' && isReady(p)),
      timeout,
    );
    const containerName = String(objects(field(pod, 'spec', 'containers'))[0]?.name ?? '');
    const stream = { namespace, pod: name, container: containerName };
    if (isCompleted(pod)) {
      output.out(await client.logs(namespace, name, { container: containerName }));
    } else if (options.stdin !== undefined && runsShell(pod)) {
      if (options.tty) output.err("If you don't see a command prompt, try pressing enter.\n");
      const input = await options.stdin();
      const container = objects(field(pod, 'spec', 'containers'))[0] ?? {};
      const argv = [
        ...(Array.isArray(container.command) ? container.command.map(String) : ['sh']),
        ...(Array.isArray(container.args) ? container.args.map(String) : []),
      ];
      const result = await client.exec(namespace, name, argv, {
        container: containerName,
        stdin: input,
        ...(options.tty ? { tty: true } : {}),
      });
      output.out(result.stdout);
      if (result.stderr) output.err(result.stderr);
      // The shell was the session: its exit is the container's.
      if (restartPolicy === 'Never') return { exitCode: result.exitCode };
      return { exitCode: 0 };
    } else {
      if (options.tty) output.err("If you don't see a command prompt, try pressing enter.\n");
      await followLogs(client, [stream], output, { pace, stopped });
    }
    if (restartPolicy !== 'Never' || stopped()) return { exitCode: 0 };
    pod = await this.waitFor(name, isCompleted, Number.POSITIVE_INFINITY, stopped);
    return exitOf(pod);
  }

  /** Deletes what `run` created (`--rm`); kubectl's `pod "x" deleted` lines. */
  async remove(created: RunCreated): Promise<string[]> {
    const { client, namespace = 'default' } = this.options;
    const lines: string[] = [];
    for (const object of [created.object, created.service]) {
      if (object === undefined) continue;
      const kind = await client.kindFor(String(object.apiVersion), String(object.kind));
      if (kind === undefined) continue;
      const name = metaString(object, 'name');
      await client.delete(kind, namespace, name, { fieldManager: 'kubectl-run' });
      lines.push(`${kindName(kind)} "${name}" deleted`);
    }
    return lines;
  }

  /** Polls a pod (letting cluster time pass) until `done`, up to `timeoutMs`. */
  private async waitFor(
    name: string,
    done: (pod: KubeObject) => boolean,
    timeoutMs: number,
    stopped: () => boolean = () => false,
  ): Promise<KubeObject> {
    const { client, namespace = 'default' } = this.options;
    let waited = 0;
    for (;;) {
      const pod = await client.get('pods', namespace, name);
      if (done(pod) || stopped()) return pod;
      if (waited >= timeoutMs) throw new Error('timed out waiting for the condition');
      await client.sleep(1000);
      waited += 1000;
      await yieldToEvents();
    }
  }

  private async prefix(object: KubeObject): Promise<string> {
    const kind = await this.options.client.kindFor(String(object.apiVersion), String(object.kind));
    return kind === undefined ? String(object.kind).toLowerCase() : kindName(kind);
  }
}

/** Lets pending I/O (an interrupt) be seen between polls that resolve at once. */
const yieldToEvents = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The pod selector of what `run` created (a Job's pods carry its template labels). */
function runSelectorOf(object: KubeObject): string {
  if (object.kind === 'Job' && field(object, 'spec', 'selector') === undefined) {
    const labels = field(object, 'spec', 'template', 'metadata', 'labels');
    return podSelectorOf({ ...object, spec: { selector: { matchLabels: labels } } });
  }
  return podSelectorOf(object);
}

/** Whether a pod's (first) container runs a shell, which reads what `-i` passes. */
function runsShell(pod: KubeObject): boolean {
  const container = objects(field(pod, 'spec', 'containers'))[0] ?? {};
  const command = Array.isArray(container.command) ? container.command : [];
  const args = Array.isArray(container.args) ? container.args : [];
  if (command.length === 0 && args.length === 0) return true;
  const first = String(command[0] ?? args[0]);
  return SHELLS.has(first) && command.length + args.length === 1;
}

/** kubectl 1.15's exit of an attached `--restart=Never` run. */
function exitOf(pod: KubeObject): AttachOutcome {
  if (phaseOf(pod) !== 'Failed') return { exitCode: 0 };
  const ns = metaString(pod, 'namespace');
  const name = metaString(pod, 'name');
  const first = objects(field(pod, 'status', 'containerStatuses'))[0];
  const terminated = field(first, 'state', 'terminated') as Record<string, unknown> | undefined;
  const code = typeof terminated?.exitCode === 'number' ? terminated.exitCode : 0;
  if (terminated === undefined || code === 0)
    return { exitCode: 1, message: `pod ${ns}/${name} failed with unknown exit code` };
  const reason = typeof terminated.reason === 'string' ? terminated.reason : '';
  const message = typeof terminated.message === 'string' ? terminated.message : '';
  return { exitCode: code, message: `pod ${ns}/${name} terminated (${reason})\n${message}` };
}

/**
 * `kubectl logs`: a pod's container log (`POD [-c CONTAINER]`), the log of a pod a workload picks
 * (`deploy/NAME`: kubectl's `ByLogging` order, with `Found 3 pods, using pod/…`), or of every pod
 * `-l` selects (10 lines each unless `--tail` says otherwise); `--all-containers`, `--prefix`,
 * `--previous`, `--timestamps`, `--since`, `--limit-bytes`. `-f` keeps reading new lines, a poll a
 * second, until the container terminates or the command is stopped.
 */

import type { KubeClient, KubeObject, PodLogOptions } from '../../kube/index.js';
import { type KubectlOptions, metaString } from './context.js';
import {
  byLogging,
  containerStatus,
  defaultContainer,
  field,
  firstPod,
  hasContainer,
  isCompleted,
  isNotFound,
  objectOf,
  objects,
  podSelectorOf,
  usageErrorOf,
} from './pods.js';

/** kubectl's `logs` usage error. */
const LOGS_USAGE =
  "expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command";

/** How often `-f` looks for new lines, in ms. */
export const FOLLOW_INTERVAL_MS = 1000;

/** Options of {@link LogsAction} (kubectl's flags). */
export interface LogsOptions extends KubectlOptions {
  /** `-c`. */
  readonly container?: string;
  /** `--all-containers`. @default false */
  readonly allContainers?: boolean;
  /** `-l`. */
  readonly labelSelector?: string;
  /** `-f`. @default false */
  readonly follow?: boolean;
  /** `--tail`; negative: all lines (10 with `-l`). @default -1 */
  readonly tail?: number;
  /** `-p`. @default false */
  readonly previous?: boolean;
  /** `--timestamps`. @default false */
  readonly timestamps?: boolean;
  /** `--since`, in seconds. */
  readonly sinceSeconds?: number;
  /** `--limit-bytes`. */
  readonly limitBytes?: number;
  /** `--prefix`: each line starts with `[pod/NAME/CONTAINER] `. @default false */
  readonly prefix?: boolean;
  /** `--max-log-requests`: most streams `-f` follows at once. @default 5 */
  readonly maxLogRequests?: number;
  /** `--pod-running-timeout`: how long to wait for a workload's first pod (ms). @default 20000 */
  readonly podRunningTimeoutMs?: number;
  /** Waits between `-f` polls. @default the client's `sleep` */
  readonly pace?: (ms: number) => Promise<void>;
  /** Whether `-f` should stop (interrupted). @default never */
  readonly stopped?: () => boolean;
}

/** Where `logs` writes: the log text, and kubectl's notices (stderr). */
export interface LogsOutput {
  out(text: string): void;
  err(text: string): void;
}

/** One container log to read. */
export interface LogStream {
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
}

/** The lines of a log text (each without its newline). */
const linesOf = (text: string): string[] => {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
};

/** `kubectl logs`. */
export class LogsAction {
  constructor(private readonly options: LogsOptions) {}

  /** Prints the logs `args` (and `-l`) name; rejects with kubectl's error. */
  async run(args: readonly string[], output: LogsOutput): Promise<void> {
    const streams = await this.streams(args, output);
    if (streams.length === 0) return;
    const { follow = false, maxLogRequests = 5, previous = false } = this.options;
    if (follow && streams.length > 1 && streams.length > maxLogRequests)
      throw new Error(
        `you are attempting to follow ${streams.length} log streams, but maximum allowed concurrency is ${maxLogRequests}, use --max-log-requests to increase the limit`,
      );
    if (!follow || previous) {
      for (const stream of streams) output.out(this.prefixed(stream, await this.read(stream, true)));
      return;
    }
    await followLogs(this.options.client, streams, output, {
      ...this.logOptions(true),
      ...(this.options.prefix ? { prefix: (s: LogStream) => prefixOf(s) } : {}),
      pace: this.options.pace ?? ((ms) => this.options.client.sleep(ms)),
      stopped: this.options.stopped ?? (() => false),
    });
  }

  /** The container logs `args` (and `-l`) name, with kubectl's notices written on `output.err`. */
  async streams(args: readonly string[], output: LogsOutput): Promise<LogStream[]> {
    const { client, namespace = 'default', labelSelector } = this.options;
    let container = this.options.container;
    if (args.length === 0 && !labelSelector) throw usageErrorOf('logs', LOGS_USAGE);
    if (args.length === 1 && labelSelector)
      throw usageErrorOf('logs', 'only a selector (-l) or a POD name is allowed');
    if (args.length === 2) container = args[1];
    if (args.length > 2) throw usageErrorOf('logs', LOGS_USAGE);

    let pods: KubeObject[];
    if (args.length === 0) {
      pods = [...(await client.list('pods', { namespace, labelSelector: labelSelector! })).items];
      if (pods.length === 0) {
        output.err(`No resources found in ${namespace} namespace.\n`);
        return [];
      }
    } else {
      const object = await objectOf(client, namespace, args[0]!, true);
      if (object.kind === 'Pod') pods = [object];
      else {
        const { pod, count } = await firstPod(
          client,
          namespace,
          podSelectorOf(object),
          byLogging,
          this.options.podRunningTimeoutMs ?? 20_000,
        );
        if (count > 1) output.err(`Found ${count} pods, using pod/${metaString(pod, 'name')}\n`);
        pods = [pod];
      }
    }
    const streams: LogStream[] = [];
    for (const pod of pods) {
      const name = metaString(pod, 'name');
      const ns = metaString(pod, 'namespace') || namespace;
      if (this.options.allContainers) {
        for (const list of ['initContainers', 'containers', 'ephemeralContainers'])
          for (const c of objects(field(pod, 'spec', list)))
            streams.push({ namespace: ns, pod: name, container: String(c.name) });
        continue;
      }
      let chosen = container;
      if (chosen === undefined || chosen === '') {
        const picked = defaultContainer(pod);
        for (const notice of picked.notices) output.err(`${notice}\n`);
        chosen = picked.name;
      }
      if (!hasContainer(pod, chosen)) throw new Error(`container ${chosen} is not valid for pod ${name}`);
      streams.push({ namespace: ns, pod: name, container: chosen });
    }
    return streams;
  }

  /** The request options; `first`: the initial read (with `--tail`, `--since`, `--limit-bytes`). */
  private logOptions(first: boolean): PodLogOptions {
    const { tail = -1, labelSelector, previous, timestamps, sinceSeconds, limitBytes } = this.options;
    const lines = tail < 0 && labelSelector ? 10 : tail;
    return {
      ...(previous ? { previous: true } : {}),
      ...(timestamps ? { timestamps: true } : {}),
      ...(first && lines >= 0 ? { tailLines: lines } : {}),
      ...(first && sinceSeconds !== undefined ? { sinceSeconds } : {}),
      ...(first && limitBytes !== undefined ? { limitBytes } : {}),
    };
  }

  private async read(stream: LogStream, first: boolean): Promise<string> {
    return this.options.client.logs(stream.namespace, stream.pod, {
      container: stream.container,
      ...this.logOptions(first),
    });
  }

  private prefixed(stream: LogStream, text: string): string {
    if (!this.options.prefix) return text;
    return linesOf(text)
      .map((line) => `${prefixOf(stream)}${line}\n`)
      .join('');
  }
}

/** kubectl's `--prefix`: `[pod/web-1/nginx] `. */
const prefixOf = (s: LogStream): string => `[pod/${s.pod}/${s.container}] `;

/** How {@link followLogs} reads and waits. */
export interface FollowOptions extends PodLogOptions {
  /** The prefix of each line, when lines are prefixed. */
  readonly prefix?: (stream: LogStream) => string;
  /** Waits between polls. */
  readonly pace: (ms: number) => Promise<void>;
  /** Whether to stop now. */
  readonly stopped: () => boolean;
  /** @default {@link FOLLOW_INTERVAL_MS} */
  readonly intervalMs?: number;
}

/**
 * `logs -f` over container logs: prints what each log holds now (with `tailLines`,
 * `sinceSeconds`…), then, every interval, the lines added since; a stream ends when its container
 * terminates (or restarts) or its pod goes, and following ends when every stream has ended or
 * `stopped()` says so.
 */
export async function followLogs(
  client: KubeClient,
  streams: readonly LogStream[],
  output: LogsOutput,
  options: FollowOptions,
): Promise<void> {
  const { pace, stopped, prefix, intervalMs = FOLLOW_INTERVAL_MS, ...requested } = options;
  const base: PodLogOptions = {
    ...(requested.timestamps ? { timestamps: true } : {}),
    ...(requested.previous ? { previous: true } : {}),
  };
  const print = (stream: LogStream, lines: readonly string[]) => {
    if (lines.length === 0) return;
    const p = prefix ? prefix(stream) : '';
    output.out(lines.map((l) => `${p}${l}\n`).join(''));
  };
  const state = await Promise.all(
    streams.map(async (stream) => {
      print(
        stream,
        linesOf(
          await client.logs(stream.namespace, stream.pod, { container: stream.container, ...requested }),
        ),
      );
      const seen = linesOf(
        await client.logs(stream.namespace, stream.pod, { container: stream.container, ...base }),
      ).length;
      const status = await running(client, stream);
      return { stream, seen, restarts: status?.restarts, done: status === undefined };
    }),
  );
  while (!stopped() && state.some((s) => !s.done)) {
    await pace(intervalMs);
    for (const s of state) {
      if (s.done) continue;
      const status = await running(client, s.stream);
      // The container it followed has gone (terminated, restarted, or its pod deleted).
      const ended = status === undefined || status.restarts !== s.restarts;
      let lines: string[];
      try {
        lines = linesOf(
          await client.logs(s.stream.namespace, s.stream.pod, { container: s.stream.container, ...base }),
        );
      } catch (error) {
        if (!ended && !isNotFound(error)) throw error;
        s.done = true;
        continue;
      }
      // A restarted container's log is a new one: what the old one wrote last is not in it.
      if (status === undefined || !ended) print(s.stream, lines.slice(s.seen));
      s.seen = lines.length;
      if (ended) s.done = true;
    }
  }
}

/** The restart count of a stream's container while it runs; undefined once it has terminated or its pod is gone. */
async function running(client: KubeClient, stream: LogStream): Promise<{ restarts: number } | undefined> {
  let pod: KubeObject;
  try {
    pod = await client.get('pods', stream.namespace, stream.pod);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
  if (isCompleted(pod)) return undefined;
  const status = containerStatus(pod, stream.container);
  if (field(status, 'state', 'terminated') !== undefined) return undefined;
  const restarts = typeof status?.restartCount === 'number' ? status.restartCount : 0;
  return { restarts };
}

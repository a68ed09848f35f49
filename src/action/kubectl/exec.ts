/**
 * `kubectl exec (POD | TYPE/NAME) [-c CONTAINER] [-i] [-t] -- COMMAND [args...]`: runs a command
 * in a container (the pod a workload names is the one `attach` would pick) and hands back its
 * output and exit code. The pre-1.26 form without `--` is refused in kubectl's words.
 */

import type { ExecResult } from '../../kube/index.js';
import type { KubectlOptions } from './context.js';
import {
  byActiveReversed,
  defaultContainer,
  firstPod,
  isCompleted,
  objectOf,
  phaseOf,
  podSelectorOf,
  usageErrorOf,
} from './pods.js';

/** Options of {@link ExecAction} (kubectl's flags). */
export interface ExecOptions extends KubectlOptions {
  /** `-c`. */
  readonly container?: string;
  /** `-i`: what the command reads on its standard input. */
  readonly stdin?: string;
  /** `-t`. @default false */
  readonly tty?: boolean;
  /** `-q`: no `Defaulted container` notice. @default false */
  readonly quiet?: boolean;
  /** `--pod-running-timeout` (ms). @default 60000 */
  readonly podRunningTimeoutMs?: number;
}

/** What `exec` ran: the command's output and exit code, and kubectl's notices (stderr). */
export interface ExecOutcome extends ExecResult {
  readonly notices: readonly string[];
}

/**
 * The operands of `exec` as kubectl splits them: the target before `--`, the command after it;
 * `dashAt` is how many operands came before `--` (-1 when there was none).
 */
export function execOperands(args: readonly string[], dashAt: number): { target: string; command: string[] } {
  if (args.length === 0 || dashAt === 0)
    throw usageErrorOf('exec', 'pod, type/name or --filename must be specified');
  if (dashAt < 0 && args.length > 1)
    throw usageErrorOf(
      'exec',
      'exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead',
    );
  const command = dashAt < 0 ? [] : args.slice(dashAt);
  if (command.length === 0)
    throw usageErrorOf('exec', 'you must specify at least one command for the container');
  return { target: args[0]!, command };
}

/** `kubectl exec`. */
export class ExecAction {
  constructor(private readonly options: ExecOptions) {}

  /** Runs `command` in the container `target` names. */
  async run(target: string, command: readonly string[]): Promise<ExecOutcome> {
    const { client, namespace = 'default' } = this.options;
    let pod = await objectOf(client, namespace, target);
    if (pod.kind !== 'Pod') {
      pod = (
        await firstPod(
          client,
          namespace,
          podSelectorOf(pod),
          byActiveReversed,
          this.options.podRunningTimeoutMs ?? 60_000,
        )
      ).pod;
    }
    if (isCompleted(pod))
      throw new Error(`cannot exec into a container in a completed pod; current phase is ${phaseOf(pod)}`);
    const notices: string[] = [];
    let container = this.options.container;
    if (!container) {
      const picked = defaultContainer(pod);
      if (!this.options.quiet) notices.push(...picked.notices);
      container = picked.name;
    }
    const name = String((pod.metadata as Record<string, unknown>).name);
    const result = await client.exec(namespace, name, command, {
      container,
      ...(this.options.stdin === undefined ? {} : { stdin: this.options.stdin }),
      ...(this.options.tty ? { tty: true } : {}),
    });
    return { ...result, notices };
  }
}

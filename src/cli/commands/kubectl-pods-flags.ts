/**
 * The flags of kubectl's pod and node verbs (`run`, `expose`, `logs`, `exec`, `taint`, `cordon`,
 * `uncordon`, `drain`, `top`) and how they are read: `--dry-run`, Go durations and
 * `--pod-running-timeout`, refused in kubectl's words; and the `-o` printing `run` and `expose`
 * share.
 */

import { parseGoDuration, usageError } from '../../action/kubectl/index.js';
import type { KubeObject } from '../../kube/index.js';
import { parseOutputFlag, printObjects } from '../../kube/printing.js';
import type { CliIO } from '../io.js';
import { dryRun, type Session } from './kubectl-session.js';

/** The pod and node verbs (`top` as `top-pod` and `top-node`). */
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

/** A session's flags, as these verbs read them. */
export const flagsOf = (s: Session): PodVerbFlags => s.flags as unknown as PodVerbFlags;

/** `--dry-run` alone means `client`, as kubectl has read it since 1.18. */
export const dryRunOf = (value: string | boolean | undefined) => dryRun(value === true ? 'client' : value);

/** A Go duration flag in ms, refused in kubectl's words. */
export function durationFlag(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseGoDuration(value);
  if (ms === undefined)
    throw usageError(
      `invalid argument "${value}" for "--${flag}" flag: time: invalid duration ${JSON.stringify(value)}`,
    );
  return ms;
}

/** `--pod-running-timeout`, which must be positive. */
export function podRunningTimeout(f: PodVerbFlags): number | undefined {
  const ms = durationFlag(f.podRunningTimeout, 'pod-running-timeout');
  if (ms !== undefined && ms <= 0) throw usageError('--pod-running-timeout must be higher than zero');
  return ms;
}

/** Prints objects in a non-table `-o` format (YAML documents separated by `---`). */
export function printOutput(io: CliIO, objects: readonly KubeObject[], output: string): void {
  const parsed = parseOutputFlag(output);
  if (parsed.type === 'table' || parsed.type === 'wide' || parsed.type.endsWith('-file'))
    throw usageError(`output format "${output}" is not supported here`);
  const texts = objects.map(
    (o) => printObjects([o], parsed as Parameters<typeof printObjects>[1], { singleItem: true }).stdout,
  );
  io.stdout.write(parsed.type === 'yaml' ? texts.join('---\n') : texts.join(''));
}

/**
 * What `kubectl run NAME --image=IMAGE [-- COMMAND ARGS…]` creates, as kubectl 1.15's generators
 * built it (the training relies on them; kubectl 1.18 kept only the Pod): `--restart=Always`
 * (the default) a Deployment, `OnFailure` a Job, `Never` (or `--generator=run-pod/v1`) a Pod,
 * `--schedule` a CronJob; everything labelled `run=NAME` unless `--labels` says otherwise, the
 * container named NAME. Every generator but `run-pod/v1` is announced as deprecated, in
 * kubectl's words. `--expose` adds a ClusterIP Service selecting the pods.
 */

import type { KubeObject } from '../../kube/index.js';
import { usageError } from './context.js';
import { parseLabelList } from './expose.js';
import { field, objects, usageErrorOf } from './pods.js';

/** The generator that makes a bare Pod (the one kubectl kept). */
export const RUN_POD_GENERATOR = 'run-pod/v1';

/** kubectl 1.15's `run` generators, by name. */
const GENERATORS = ['run/v1', RUN_POD_GENERATOR, 'deployment/apps.v1', 'job/v1', 'cronjob/v1beta1'] as const;
type Generator = (typeof GENERATORS)[number];

/** What `kubectl run` prints on stderr for a deprecated generator. */
export function runDeprecation(generator: string): string {
  return `kubectl run --generator=${generator} is DEPRECATED and will be removed in a future version. Use kubectl run --generator=${RUN_POD_GENERATOR} or kubectl create instead.`;
}

/** `kubectl run`'s flags that shape the object. */
export interface RunSpec {
  /** `--image`. */
  readonly image?: string;
  /** The operands after NAME: the container's arguments (its command with `--command`). */
  readonly args?: readonly string[];
  /** `--command`. @default false */
  readonly command?: boolean;
  /** `--restart`: Always, OnFailure or Never. @default Always (Never with `--schedule`) */
  readonly restart?: string;
  /** `--schedule` (a cron expression): a CronJob. */
  readonly schedule?: string;
  /** `--generator`. */
  readonly generator?: string;
  /** `--replicas` (Deployment, ReplicationController). @default 1 */
  readonly replicas?: number;
  /** `--port`: the container port (and the Service's, with `--expose`). */
  readonly port?: number;
  /** `--labels`: `a=b,c=d`. @default run=NAME */
  readonly labels?: string;
  /** `--env KEY=VALUE`. */
  readonly env?: readonly string[];
  /** `--serviceaccount`. */
  readonly serviceAccount?: string;
  /** `--image-pull-policy`. */
  readonly imagePullPolicy?: string;
  /** `--limits` / `--requests`: `cpu=200m,memory=512Mi`. */
  readonly limits?: string;
  readonly requests?: string;
  /** `-i`, `-t`. */
  readonly stdin?: boolean;
  readonly tty?: boolean;
  /** `--expose`. @default false */
  readonly expose?: boolean;
}

/** What `run` will create. */
export interface RunPlan {
  readonly generator: Generator;
  readonly restartPolicy: 'Always' | 'OnFailure' | 'Never';
  /** The Deployment, Job, CronJob, Pod or ReplicationController. */
  readonly object: KubeObject;
  /** The Service of `--expose`. */
  readonly service?: KubeObject;
  /** The deprecation notice kubectl prints on stderr (every generator but run-pod/v1). */
  readonly deprecation?: string;
}

/** Docker's reference grammar (`ReferenceRegexp`), for kubectl's image name check. */
const IMAGE_REFERENCE =
  /^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-*)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-*)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$/;

/** `KEY=VALUE` pairs as env vars, refused in kubectl's words. */
function envVars(env: readonly string[]): { name: string; value: string }[] {
  return env.map((entry) => {
    const eq = entry.indexOf('=');
    const name = eq < 0 ? '' : entry.slice(0, eq);
    if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(name)) throw usageError(`invalid env: ${entry}`);
    return { name, value: entry.slice(eq + 1) };
  });
}

/** `cpu=200m,memory=512Mi` as a resource list. */
function resourceList(spec: string | undefined): Record<string, string> | undefined {
  if (spec === undefined || spec === '') return undefined;
  const out: Record<string, string> = {};
  for (const statement of spec.split(',')) {
    const parts = statement.split('=');
    if (parts.length !== 2)
      throw usageError(`Invalid argument syntax ${statement}, expected <resource>=<value>`);
    out[parts[0]!] = parts[1]!;
  }
  return out;
}

/** Picks the generator as kubectl 1.15 did: explicit, else from `--schedule` and the restart policy. */
function generatorFor(spec: RunSpec, restart: RunPlan['restartPolicy']): Generator {
  if (spec.generator !== undefined && spec.generator !== '') {
    if (!(GENERATORS as readonly string[]).includes(spec.generator))
      throw usageErrorOf('run', `generator "${spec.generator}" not found`);
    return spec.generator as Generator;
  }
  if (spec.schedule) return 'cronjob/v1beta1';
  return restart === 'Always' ? 'deployment/apps.v1' : restart === 'OnFailure' ? 'job/v1' : RUN_POD_GENERATOR;
}

/** Builds what `kubectl run NAME …` creates, refusing bad flags in kubectl's words. */
export function planRun(name: string, spec: RunSpec): RunPlan {
  if (name === '') throw usageErrorOf('run', 'NAME is required for run');
  const image = spec.image ?? '';
  if (image === '') throw usageErrorOf('run', '--image is required');
  if (!IMAGE_REFERENCE.test(image))
    throw usageError(`Invalid image name "${image}": invalid reference format`);
  const restart = spec.restart ?? (spec.schedule ? 'Never' : 'Always');
  if (restart !== 'Always' && restart !== 'OnFailure' && restart !== 'Never')
    throw usageErrorOf('run', `invalid restart policy: ${restart}`);
  const replicas = spec.replicas ?? 1;
  if (restart !== 'Always' && replicas !== 1)
    throw usageErrorOf('run', `--restart=${restart} requires that --replicas=1, found ${replicas}`);
  const policy = spec.imagePullPolicy ?? '';
  if (policy !== '' && policy !== 'Always' && policy !== 'IfNotPresent' && policy !== 'Never')
    throw usageErrorOf('run', `invalid image pull policy: ${policy}`);
  if (spec.expose && spec.port === undefined)
    throw usageErrorOf('run', '--port must be set when exposing a service');
  const generator = generatorFor(spec, restart);
  const labels = spec.labels ? parseLabelList(spec.labels) : { run: name };

  const args = spec.args ?? [];
  const env = envVars(spec.env ?? []);
  const limits = resourceList(spec.limits);
  const requests = resourceList(spec.requests);
  const container: Record<string, unknown> = {
    name,
    image,
    ...(args.length > 0 ? { [spec.command ? 'command' : 'args']: [...args] } : {}),
    ...(env.length > 0 ? { env } : {}),
    ...(policy ? { imagePullPolicy: policy } : {}),
    ...(spec.port === undefined ? {} : { ports: [{ containerPort: spec.port }] }),
    ...(limits || requests
      ? { resources: { ...(limits ? { limits } : {}), ...(requests ? { requests } : {}) } }
      : {}),
    ...(spec.stdin ? { stdin: true, stdinOnce: true } : {}),
    ...(spec.tty ? { tty: true } : {}),
  };
  const podSpec = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    containers: [container],
    ...extra,
    ...(spec.serviceAccount ? { serviceAccountName: spec.serviceAccount } : {}),
  });
  const template = (extra?: Record<string, unknown>) => ({ metadata: { labels }, spec: podSpec(extra) });
  const metadata = { name, labels };
  let object: KubeObject;
  switch (generator) {
    case 'deployment/apps.v1':
      object = {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata,
        spec: { replicas, selector: { matchLabels: labels }, template: template() },
      };
      break;
    case 'run/v1':
      object = {
        apiVersion: 'v1',
        kind: 'ReplicationController',
        metadata,
        spec: { replicas, selector: labels, template: template() },
      };
      break;
    case 'job/v1':
      object = {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata,
        spec: { template: template({ restartPolicy: restart }) },
      };
      break;
    case 'cronjob/v1beta1':
      // batch/v1beta1 CronJobs are no longer served: the same object, as batch/v1.
      object = {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata,
        spec: {
          schedule: spec.schedule ?? '',
          concurrencyPolicy: 'Allow',
          jobTemplate: { spec: { template: template({ restartPolicy: restart }) } },
        },
      };
      break;
    case RUN_POD_GENERATOR:
      object = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata,
        spec: podSpec({ dnsPolicy: 'ClusterFirst', restartPolicy: restart }),
      };
      break;
  }
  const service: KubeObject | undefined = spec.expose
    ? {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name, ...(spec.labels ? { labels } : {}) },
        spec: {
          ports: [{ port: spec.port, protocol: 'TCP', targetPort: spec.port }],
          selector: spec.labels ? labels : { run: name },
        },
      }
    : undefined;
  return {
    generator,
    restartPolicy: restart,
    object,
    ...(service ? { service } : {}),
    ...(generator === RUN_POD_GENERATOR ? {} : { deprecation: runDeprecation(generator) }),
  };
}

/**
 * An object as kubectl prints what it built without sending it (`--dry-run -o yaml`): Go's zero
 * values included (`creationTimestamp: null`, `resources: {}`, `strategy: {}`, `status: {}`).
 */
export function asGenerated(object: KubeObject): KubeObject {
  const copy = structuredClone(object) as Json;
  const zeroMeta = (owner: Json) => {
    owner.metadata = { creationTimestamp: null, ...json(owner.metadata) };
  };
  const zeroPodSpec = (spec: unknown) => {
    for (const c of objects(field(spec, 'containers'))) c.resources ??= {};
  };
  const zeroTemplate = (template: unknown) => {
    if (!isJson(template)) return;
    zeroMeta(template);
    zeroPodSpec(template.spec);
  };
  zeroMeta(copy);
  const spec = json(copy.spec);
  switch (copy.kind) {
    case 'Pod':
      zeroPodSpec(spec);
      break;
    case 'Deployment':
      spec.strategy ??= {};
      zeroTemplate(spec.template);
      break;
    case 'ReplicationController':
    case 'Job':
      zeroTemplate(spec.template);
      break;
    case 'CronJob': {
      const jobTemplate = json(spec.jobTemplate);
      zeroMeta(jobTemplate);
      zeroTemplate(field(jobTemplate, 'spec', 'template'));
      break;
    }
  }
  copy.status = copy.kind === 'Service' ? { loadBalancer: {} } : {};
  return copy;
}

type Json = Record<string, unknown>;
const isJson = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
/** A field known to hold an object (this module built it). */
const json = (v: unknown): Json => (isJson(v) ? v : {});

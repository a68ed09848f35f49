/**
 * Table columns and cells of the workload kinds (`printers.go`): Pod, ReplicaSet,
 * ReplicationController, Deployment, StatefulSet, DaemonSet, Job, CronJob, ControllerRevision,
 * HorizontalPodAutoscaler, PodDisruptionBudget.
 */

import { age, humanDuration, parseTime } from './duration.js';
import { podCells } from './pod-status.js';
import { canonicalQuantity } from './quantity.js';
import { formatLabelSelector, formatLabelsAt, selectorString } from './selectors.js';
import { type Cell, column, type KindPrinter } from './table.js';
import {
  get,
  intOrString,
  isMap,
  type KubeObject,
  list,
  nameOf,
  num,
  optBool,
  optNum,
  str,
} from './values.js';

const created = (obj: unknown, now: number): string => age(get(obj, 'metadata', 'creationTimestamp'), now);

const CONTAINERS = column('Containers', 'string', 1, 'Names of each container in the template.');
const IMAGES = column('Images', 'string', 1, 'Images referenced by each container in the template.');
const SELECTOR = column('Selector', 'string', 1);

/** `layoutContainerCells`: container names and images, comma-separated. */
export function containerCells(podSpec: unknown): [string, string] {
  const containers = list(podSpec, 'containers');
  return [containers.map((c) => str(c, 'name')).join(','), containers.map((c) => str(c, 'image')).join(',')];
}

const replicas = (obj: unknown): number => optNum(obj, 'spec', 'replicas') ?? 0;

const podTemplateKind = (selector: (obj: KubeObject) => string): KindPrinter => ({
  columns: [
    column('Name'),
    column('Desired', 'integer'),
    column('Current', 'integer'),
    column('Ready', 'integer'),
    column('Age'),
    CONTAINERS,
    IMAGES,
    SELECTOR,
  ],
  cells: (o, now) => [
    nameOf(o),
    replicas(o),
    num(o, 'status', 'replicas'),
    num(o, 'status', 'readyReplicas'),
    created(o, now),
    ...containerCells(get(o, 'spec', 'template', 'spec')),
    selector(o),
  ],
});

const hasCondition = (obj: unknown, type: string): boolean => {
  for (const c of list(obj, 'status', 'conditions')) {
    if (str(c, 'type') === type) return str(c, 'status') === 'True';
  }
  return false;
};

function jobCompletions(job: unknown): string {
  const succeeded = num(job, 'status', 'succeeded');
  const completions = optNum(job, 'spec', 'completions');
  if (completions !== undefined) return `${succeeded}/${completions}`;
  const parallelism = optNum(job, 'spec', 'parallelism') ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function jobDuration(job: unknown, now: number): string {
  const start = parseTime(get(job, 'status', 'startTime'));
  if (start === undefined) return '';
  const end = parseTime(get(job, 'status', 'completionTime'));
  return humanDuration((end ?? now) - start);
}

function jobStatus(job: unknown): string {
  if (hasCondition(job, 'Complete')) return 'Complete';
  if (hasCondition(job, 'Failed')) return 'Failed';
  if (str(job, 'metadata', 'deletionTimestamp') !== '') return 'Terminating';
  if (hasCondition(job, 'Suspended')) return 'Suspended';
  if (hasCondition(job, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

const boolPtr = (v: boolean | undefined): string => (v === undefined ? '<unset>' : v ? 'True' : 'False');

/** An HPA's metrics in autoscaling/v2 form; autoscaling/v1 objects are converted as the API does. */
function hpaMetrics(hpa: unknown): { specs: readonly unknown[]; statuses: readonly unknown[] } {
  const target = optNum(hpa, 'spec', 'targetCPUUtilizationPercentage');
  if (get(hpa, 'spec', 'metrics') === undefined && target !== undefined) {
    const current = optNum(hpa, 'status', 'currentCPUUtilizationPercentage');
    const resource = { name: 'cpu', target: { type: 'Utilization', averageUtilization: target } };
    return {
      specs: [{ type: 'Resource', resource }],
      statuses:
        current === undefined
          ? []
          : [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: current } } }],
    };
  }
  return { specs: list(hpa, 'spec', 'metrics'), statuses: list(hpa, 'status', 'currentMetrics') };
}

/** `Quantity.String()`: the API stores quantities canonical; hand-written objects are made so. */
const quantity = (v: unknown): string => canonicalQuantity(v ?? '0');

/** `formatHPAMetrics`: `cpu: 30%/80%`, `<unknown>/500m`, at most two then `+ N more...`. */
export function formatHpaMetrics(hpa: unknown): string {
  const { specs, statuses } = hpaMetrics(hpa);
  if (specs.length === 0) return '<none>';
  const out: string[] = [];
  specs.forEach((spec, i) => {
    const status = statuses[i];
    const type = str(spec, 'type');
    const source = { External: 'external', Pods: 'pods', Object: 'object', Resource: 'resource' }[type] ?? '';
    const cur = (key: string) => get(status, source, 'current', key);
    if (type === 'External' || type === 'Object') {
      const avg = get(spec, source, 'target', 'averageValue');
      if (avg !== undefined) {
        const c =
          isMap(get(status, source)) && cur('averageValue') !== undefined
            ? quantity(cur('averageValue'))
            : '<unknown>';
        out.push(`${c}/${quantity(avg)} (avg)`);
      } else {
        const c = isMap(get(status, source)) ? quantity(cur('value')) : '<unknown>';
        out.push(`${c}/${quantity(get(spec, source, 'target', 'value'))}`);
      }
    } else if (type === 'Pods') {
      const c = isMap(get(status, 'pods'))
        ? quantity(get(status, 'pods', 'current', 'averageValue'))
        : '<unknown>';
      out.push(`${c}/${quantity(get(spec, 'pods', 'target', 'averageValue'))}`);
    } else if (type === 'Resource' || type === 'ContainerResource') {
      const key = type === 'Resource' ? 'resource' : 'containerResource';
      const name = str(spec, key, 'name');
      const avg = get(spec, key, 'target', 'averageValue');
      if (avg !== undefined) {
        const c = isMap(get(status, key))
          ? quantity(get(status, key, 'current', 'averageValue'))
          : '<unknown>';
        out.push(`${name}: ${c}/${quantity(avg)}`);
      } else {
        const util = optNum(status, key, 'current', 'averageUtilization');
        const c = isMap(get(status, key)) && util !== undefined ? `${util}%` : '<unknown>';
        const t = optNum(spec, key, 'target', 'averageUtilization');
        out.push(`${name}: ${c}/${t === undefined ? '<auto>' : `${t}%`}`);
      }
    } else {
      out.push('<unknown type>');
    }
  });
  const max = 2;
  if (out.length > max) return `${out.slice(0, max).join(', ')} + ${out.length - max} more...`;
  return out.join(', ');
}

/** The workload kinds' printers, by kind. */
export const WORKLOAD_PRINTERS: Readonly<Record<string, KindPrinter>> = {
  Pod: {
    columns: [
      column('Name'),
      column('Ready', 'string', 0, 'The aggregate readiness state of this pod for accepting traffic.'),
      column('Status', 'string', 0, 'The aggregate status of the containers in this pod.'),
      column(
        'Restarts',
        'string',
        0,
        'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
      ),
      column('Age'),
      column('IP', 'string', 1),
      column('Node', 'string', 1),
      column('Nominated Node', 'string', 1),
      column('Readiness Gates', 'string', 1),
    ],
    cells: (o, now) => podCells(o, now),
  },
  ReplicaSet: podTemplateKind((o) => formatLabelSelector(get(o, 'spec', 'selector'))),
  ReplicationController: podTemplateKind((o) => formatLabelsAt(o, 'spec', 'selector')),
  Deployment: {
    columns: [
      column('Name'),
      column('Ready', 'string', 0, 'Number of the pod with ready state'),
      column('Up-to-date'),
      column('Available'),
      column('Age'),
      CONTAINERS,
      IMAGES,
      SELECTOR,
    ],
    cells: (o, now) => [
      nameOf(o),
      `${num(o, 'status', 'readyReplicas')}/${replicas(o)}`,
      num(o, 'status', 'updatedReplicas'),
      num(o, 'status', 'availableReplicas'),
      created(o, now),
      ...containerCells(get(o, 'spec', 'template', 'spec')),
      selectorString(get(o, 'spec', 'selector')) ?? '<invalid>',
    ],
  },
  StatefulSet: {
    columns: [
      column('Name'),
      column('Ready', 'string', 0, 'Number of the pod with ready state'),
      column('Age'),
      CONTAINERS,
      IMAGES,
    ],
    cells: (o, now) => [
      nameOf(o),
      `${num(o, 'status', 'readyReplicas')}/${replicas(o)}`,
      created(o, now),
      ...containerCells(get(o, 'spec', 'template', 'spec')),
    ],
  },
  DaemonSet: {
    columns: [
      column('Name'),
      column('Desired', 'integer'),
      column('Current', 'integer'),
      column('Ready', 'integer'),
      column('Up-to-date', 'integer'),
      column('Available', 'integer'),
      column('Node Selector'),
      column('Age'),
      CONTAINERS,
      IMAGES,
      SELECTOR,
    ],
    cells: (o, now) => [
      nameOf(o),
      num(o, 'status', 'desiredNumberScheduled'),
      num(o, 'status', 'currentNumberScheduled'),
      num(o, 'status', 'numberReady'),
      num(o, 'status', 'updatedNumberScheduled'),
      num(o, 'status', 'numberAvailable'),
      formatLabelsAt(o, 'spec', 'template', 'spec', 'nodeSelector'),
      created(o, now),
      ...containerCells(get(o, 'spec', 'template', 'spec')),
      formatLabelSelector(get(o, 'spec', 'selector')),
    ],
  },
  Job: {
    columns: [
      column('Name'),
      column('Status', 'string', 0, 'Status of the job.'),
      column('Completions'),
      column('Duration', 'string', 0, 'Time required to complete the job.'),
      column('Age'),
      CONTAINERS,
      IMAGES,
      SELECTOR,
    ],
    cells: (o, now) => [
      nameOf(o),
      jobStatus(o),
      jobCompletions(o),
      jobDuration(o, now),
      created(o, now),
      ...containerCells(get(o, 'spec', 'template', 'spec')),
      formatLabelSelector(get(o, 'spec', 'selector')),
    ],
  },
  CronJob: {
    columns: [
      column('Name'),
      column('Schedule'),
      column('Timezone'),
      column('Suspend', 'boolean'),
      column('Active', 'integer'),
      column('Last Schedule'),
      column('Age'),
      CONTAINERS,
      IMAGES,
      SELECTOR,
    ],
    cells: (o, now) => {
      const last = get(o, 'status', 'lastScheduleTime');
      return [
        nameOf(o),
        str(o, 'spec', 'schedule'),
        str(o, 'spec', 'timeZone') || '<none>',
        boolPtr(optBool(o, 'spec', 'suspend')),
        list(o, 'status', 'active').length,
        last === undefined || last === null ? '<none>' : age(last, now),
        created(o, now),
        ...containerCells(get(o, 'spec', 'jobTemplate', 'spec', 'template', 'spec')),
        formatLabelSelector(get(o, 'spec', 'jobTemplate', 'spec', 'selector')),
      ];
    },
  },
  ControllerRevision: {
    columns: [
      column('Name'),
      column('Controller', 'string', 0, 'Controller of the object'),
      column('Revision'),
      column('Age'),
    ],
    cells: (o, now) => {
      const owner = list(o, 'metadata', 'ownerReferences').find((r) => get(r, 'controller') === true);
      let controller = '<none>';
      if (owner !== undefined) {
        const apiVersion = str(owner, 'apiVersion');
        const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
        const kind = str(owner, 'kind').toLowerCase();
        controller = `${group === '' ? kind : `${kind}.${group}`}/${str(owner, 'name')}`;
      }
      return [nameOf(o), controller, num(o, 'revision'), created(o, now)];
    },
  },
  HorizontalPodAutoscaler: {
    columns: [
      column('Name'),
      column('Reference'),
      column('Targets'),
      column('MinPods'),
      column('MaxPods'),
      column('Replicas'),
      column('Age'),
    ],
    cells: (o, now) => {
      const min = optNum(o, 'spec', 'minReplicas');
      return [
        nameOf(o),
        `${str(o, 'spec', 'scaleTargetRef', 'kind')}/${str(o, 'spec', 'scaleTargetRef', 'name')}`,
        formatHpaMetrics(o),
        min === undefined ? '<unset>' : String(min),
        num(o, 'spec', 'maxReplicas'),
        num(o, 'status', 'currentReplicas'),
        created(o, now),
      ];
    },
  },
  PodDisruptionBudget: {
    columns: [
      column('Name'),
      column('Min Available', 'string', 0, 'The minimum number of pods that must be available.'),
      column('Max Unavailable', 'string', 0, 'The maximum number of pods that may be unavailable.'),
      column(
        'Allowed Disruptions',
        'integer',
        0,
        'Calculated number of pods that may be disrupted at this time.',
      ),
      column('Age'),
    ],
    cells: (o, now): Cell[] => [
      nameOf(o),
      intOrString(o, 'spec', 'minAvailable') ?? 'N/A',
      intOrString(o, 'spec', 'maxUnavailable') ?? 'N/A',
      num(o, 'status', 'disruptionsAllowed'),
      created(o, now),
    ],
  },
};

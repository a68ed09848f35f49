/**
 * `kubectl top pod|node` from the metrics API (`metrics.k8s.io/v1beta1`): CPU in millicores and
 * memory in MiB, per pod (`--containers`: per container), per node with the share of its
 * allocatable (`--show-capacity`: of its capacity); `--sort-by=cpu|memory`. kubectl's errors:
 * `Metrics API not available`, `Metrics not available for pod default/web, age: 5m3s`.
 */

import { quantityNumber } from '../../internal/quantity.js';
import type { KubeObject } from '../../kube/index.js';
import { type KubectlOptions, metaString, usageError } from './context.js';
import { formatGoDuration } from './durations.js';
import { field, objects } from './pods.js';

/** How long after its creation a pod may have no metrics without kubectl calling it an error. */
const METRICS_CREATION_DELAY_MS = 2 * 60_000;

/** A resource quantity (`250m`, `128Mi`, `1234567n`, `2`, `1e3`) as a number; 0 when unreadable. */
export function quantityValue(value: unknown): number {
  return quantityNumber(value) ?? 0;
}

/** Options of {@link TopAction}. */
export interface TopOptions extends KubectlOptions {
  /** `-A` (pods). @default false */
  readonly allNamespaces?: boolean;
  /** `-l`. */
  readonly labelSelector?: string;
  /** `--containers` (pods). @default false */
  readonly containers?: boolean;
  /** `--sort-by`: `cpu` or `memory`. */
  readonly sortBy?: string;
  /** `--show-capacity` (nodes). @default false */
  readonly showCapacity?: boolean;
}

/** The table `top` prints (header first), and kubectl's notice when there is nothing. */
export interface TopResult {
  readonly rows: readonly (readonly string[])[];
  readonly notice?: string;
}

/** Usage of one pod, container or node. */
interface Usage {
  readonly cpu: number;
  readonly memory: number;
}

const usageOf = (usage: unknown): Usage => ({
  cpu: quantityValue(field(usage, 'cpu')),
  memory: quantityValue(field(usage, 'memory')),
});

const cpuText = (cores: number) => `${Math.ceil(Math.round(cores * 1e6) / 1e3)}m`;
const memoryText = (bytes: number) => `${Math.floor(bytes / 2 ** 20)}Mi`;

/** `kubectl top`. */
export class TopAction {
  constructor(private readonly options: TopOptions) {}

  /** `top pod [NAME]`. */
  async pods(name?: string): Promise<TopResult> {
    const { namespace = 'default', allNamespaces = false, labelSelector, containers = false } = this.options;
    const sortBy = this.sortBy();
    const metrics = await this.read('pods', {
      ...(allNamespaces ? {} : { namespace }),
      ...(labelSelector ? { labelSelector } : {}),
      ...(name ? { name } : {}),
    });
    if (metrics.length === 0) {
      await this.explainMissing(name);
      return {
        rows: [],
        notice: allNamespaces ? 'No resources found' : `No resources found in ${namespace} namespace.`,
      };
    }
    const header = [
      ...(allNamespaces ? ['NAMESPACE'] : []),
      ...(containers ? ['POD'] : []),
      'NAME',
      'CPU(cores)',
      'MEMORY(bytes)',
    ];
    const entries = metrics.map((m) => {
      const list = objects(m.containers).map((c) => ({
        name: String(c.name ?? ''),
        usage: usageOf(c.usage),
      }));
      const total = list.reduce((a, c) => ({ cpu: a.cpu + c.usage.cpu, memory: a.memory + c.usage.memory }), {
        cpu: 0,
        memory: 0,
      });
      return { ns: metaString(m, 'namespace'), name: metaString(m, 'name'), list, total };
    });
    if (sortBy) entries.sort((a, b) => b.total[sortBy] - a.total[sortBy]);
    const rows: string[][] = [header];
    for (const e of entries) {
      const prefix = allNamespaces ? [e.ns] : [];
      if (!containers) {
        rows.push([...prefix, e.name, cpuText(e.total.cpu), memoryText(e.total.memory)]);
        continue;
      }
      const list = sortBy ? [...e.list].sort((a, b) => b.usage[sortBy] - a.usage[sortBy]) : e.list;
      for (const c of list)
        rows.push([...prefix, e.name, c.name, cpuText(c.usage.cpu), memoryText(c.usage.memory)]);
    }
    return { rows };
  }

  /** `top node [NAME]`. */
  async nodes(name?: string): Promise<TopResult> {
    const { client, labelSelector, showCapacity = false } = this.options;
    const sortBy = this.sortBy();
    const metrics = await this.read('nodes', {
      ...(labelSelector ? { labelSelector } : {}),
      ...(name ? { name } : {}),
    });
    if (metrics.length === 0) throw new Error('metrics not available yet');
    const nodes = name
      ? [await client.get('nodes', '', name)]
      : [...(await client.list('nodes', labelSelector ? { labelSelector } : {})).items];
    const available = new Map<string, Usage>(
      nodes.map((n) => [
        metaString(n, 'name'),
        usageOf(field(n, 'status', showCapacity ? 'capacity' : 'allocatable')),
      ]),
    );
    const entries = metrics
      .filter((m) => available.has(metaString(m, 'name')))
      .map((m) => ({ name: metaString(m, 'name'), usage: usageOf(m.usage) }));
    if (sortBy) entries.sort((a, b) => b.usage[sortBy] - a.usage[sortBy]);
    const percent = (used: number, of: number) =>
      of > 0 ? `${Math.trunc((used / of) * 100)}%` : '<unknown>';
    const rows: string[][] = [['NAME', 'CPU(cores)', 'CPU(%)', 'MEMORY(bytes)', 'MEMORY(%)']];
    for (const e of entries) {
      const of = available.get(e.name)!;
      rows.push([
        e.name,
        cpuText(e.usage.cpu),
        percent(e.usage.cpu, of.cpu),
        memoryText(e.usage.memory),
        percent(e.usage.memory, of.memory),
      ]);
    }
    const reported = new Set(entries.map((e) => e.name));
    for (const node of [...available.keys()].filter((n) => !reported.has(n)).sort())
      rows.push([node, '<unknown>', '<unknown>', '<unknown>', '<unknown>']);
    return { rows };
  }

  private sortBy(): 'cpu' | 'memory' | undefined {
    const { sortBy } = this.options;
    if (sortBy === undefined || sortBy === '') return undefined;
    if (sortBy !== 'cpu' && sortBy !== 'memory') throw usageError(`--sort-by accepts only cpu or memory`);
    return sortBy;
  }

  /** The metrics list's items; `Metrics API not available` when it cannot be read. */
  private async read(
    kind: 'pods' | 'nodes',
    query: { namespace?: string; labelSelector?: string; name?: string },
  ): Promise<KubeObject[]> {
    let list: KubeObject;
    try {
      list = await this.options.client.metrics(kind, query);
    } catch (error) {
      throw new Error('Metrics API not available', { cause: error });
    }
    return objects(list.items);
  }

  /** kubectl's `verifyEmptyMetrics`: why pods that exist have no metrics (none yet: fine). */
  private async explainMissing(name: string | undefined): Promise<void> {
    const { client, namespace = 'default', labelSelector, allNamespaces = false } = this.options;
    const pods = name
      ? [await client.get('pods', namespace, name)]
      : [
          ...(
            await client.list('pods', {
              ...(allNamespaces ? {} : { namespace }),
              ...(labelSelector ? { labelSelector } : {}),
            })
          ).items,
        ];
    if (pods.length === 0) return;
    const now = (await client.now()).getTime();
    for (const pod of pods) {
      const age = now - Date.parse(metaString(pod, 'creationTimestamp'));
      if (age > METRICS_CREATION_DELAY_MS)
        throw new Error(
          `Metrics not available for pod ${metaString(pod, 'namespace')}/${metaString(pod, 'name')}, age: ${formatGoDuration(age)}`,
        );
    }
    throw new Error('metrics not available yet');
  }
}

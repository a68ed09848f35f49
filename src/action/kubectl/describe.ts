/**
 * `kubectl describe`: each named object (or every object of the kind in the namespace, or those
 * a selector picks) with what kubectl fetches alongside it: its events, the namespace's pods,
 * ReplicaSets, EndpointSlices, Services and Secrets, a namespace's quotas and limits.
 */

import type { KubeClient, KubeObject } from '../../kube/index.js';
import type { DescribeRelated } from '../../kube/printing.js';
import { describe } from '../../kube/printing.js';
import { type KubectlOptions, metaString, selectedObjects, selectResources } from './context.js';

/** Options of {@link DescribeAction}. */
export interface DescribeOptions extends KubectlOptions {
  /** `-A`. @default false */
  readonly allNamespaces?: boolean;
  /** `-l`. */
  readonly labelSelector?: string;
}

/** What `kubectl describe` printed, and the names it could not read. */
export interface DescribeResult {
  /** The descriptions, joined as kubectl separates them. */
  readonly text: string;
  readonly errors: readonly Error[];
}

async function listIn(
  client: KubeClient,
  resource: string,
  namespace?: string,
): Promise<readonly KubeObject[]> {
  return (await client.list(resource, namespace === undefined ? {} : { namespace })).items;
}

/** `kubectl describe`. */
export class DescribeAction {
  constructor(private readonly options: DescribeOptions) {}

  /** Describes what the resource arguments name. */
  async run(args: readonly string[]): Promise<DescribeResult> {
    const { client, namespace = 'default', allNamespaces = false } = this.options;
    const { selections } = await selectResources(client, args);
    const errors: Error[] = [];
    const texts: string[] = [];
    const now = (await client.now()).getTime();
    const list = {
      ...(allNamespaces ? {} : { namespace }),
      ...(this.options.labelSelector ? { labelSelector: this.options.labelSelector } : {}),
    };
    for (const selection of selections) {
      const objects = await selectedObjects(client, selection, namespace, list, errors);
      for (const object of objects) texts.push(describe(object, await this.related(object), now));
    }
    return { text: texts.join('\n\n'), errors };
  }

  /** What kubectl reads to describe `object`. */
  private async related(object: KubeObject): Promise<DescribeRelated> {
    const { client } = this.options;
    const ns = metaString(object, 'namespace');
    if (ns === '') {
      const name = metaString(object, 'name');
      return {
        events: await listIn(client, 'events', object.kind === 'Namespace' ? name : undefined),
        pods: object.kind === 'Node' ? await listIn(client, 'pods') : [],
        resourceQuotas: object.kind === 'Namespace' ? await listIn(client, 'resourcequotas', name) : [],
        limitRanges: object.kind === 'Namespace' ? await listIn(client, 'limitranges', name) : [],
      };
    }
    return {
      events: await listIn(client, 'events', ns),
      pods: await listIn(client, 'pods', ns),
      replicaSets: await listIn(client, 'replicasets.apps', ns),
      endpointSlices: await listIn(client, 'endpointslices.discovery.k8s.io', ns),
      services: await listIn(client, 'services', ns),
      secrets: await listIn(client, 'secrets', ns),
    };
  }
}

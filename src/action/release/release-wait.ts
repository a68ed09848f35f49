/**
 * Waiting on a release's objects (`--wait`, Helm's readiness per kind) while keeping the release
 * lock alive, and installing a chart's `crds/` before anything else.
 */

import type { Chart } from '../../chart/chart.js';
import { isPlainObject } from '../../internal/objects.js';
import { parseYamlStream } from '../../internal/yaml.js';
import { KubeApiError, type KubeClient } from '../../kube/index.js';
import { waitForReady } from '../../kube/wait.js';
import type { ReleaseContext } from './context.js';
import type { WaitFlags } from './install.js';
import { timeoutOf } from './operation.js';
import { type Resource, refOf } from './resources.js';

/** Waits until every object is ready, renewing the lock on each poll. */
export async function waitForResources(
  ctx: ReleaseContext,
  resources: readonly Resource[],
  flags: WaitFlags,
  renew: () => Promise<void>,
): Promise<void> {
  await waitForReady(ctx.client, resources.map(refOf), {
    timeoutMs: timeoutOf(flags.timeoutMs),
    ...(flags.waitForJobs ? { waitForJobs: true } : {}),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    onProgress: (pending) => {
      void renew().catch(() => undefined);
      flags.onProgress?.(pending);
    },
  });
}

/**
 * Creates the CustomResourceDefinitions of the chart's (and its subcharts') `crds/` folders that
 * do not exist yet; Helm never upgrades or deletes them.
 */
export async function installCrds(client: KubeClient, chart: Chart): Promise<void> {
  const visit = async (c: Chart): Promise<void> => {
    for (const f of c.files) {
      if (!f.name.startsWith('crds/') || !/\.(ya?ml|json)$/.test(f.name)) continue;
      for (const doc of parseYamlStream(f.data.toString('utf8'), `${c.metadata.name}/${f.name}`)) {
        if (!isPlainObject(doc)) continue;
        try {
          await client.create(doc, { fieldManager: 'helm' });
        } catch (error) {
          if (!(error instanceof KubeApiError && error.code === 409)) throw error;
        }
      }
    }
    for (const sub of c.dependencies) await visit(sub);
  };
  await visit(chart);
}

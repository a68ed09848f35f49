/**
 * `kubectl apply -f` (client-side apply): each object is created with the
 * `kubectl.kubernetes.io/last-applied-configuration` annotation, or patched with the three-way
 * strategic merge patch between the last applied manifest, the new one and the live object
 * (`created`, `configured`, `unchanged`).
 */

import {
  type FieldValidation,
  KubeApiError,
  type KubeObject,
  kindName,
  threeWayMergePatch,
} from '../../kube/index.js';
import { type DryRun, dryRunSuffix, type KubectlOptions, type WriteResult } from './context.js';
import type { Manifest } from './manifests.js';
import { type ManifestTarget, writeEachTarget } from './targets.js';

/** The annotation client-side apply keeps the applied manifest in. */
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** Options of {@link ApplyAction}. */
export interface ApplyOptions extends KubectlOptions {
  /** `--validate`: `Strict` refuses unknown fields, `Ignore` drops them. @default 'Strict' */
  readonly validation?: FieldValidation;
  /** @default 'none' */
  readonly dryRun?: DryRun;
  /** @default 'kubectl-client-side-apply' */
  readonly fieldManager?: string;
}

const isMap = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** JSON with sorted keys (Go marshals maps so), as the annotation holds it. */
function sortedJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    isMap(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, v[k]]),
        )
      : v,
  );
}

/** The object as it is applied: with the annotation recording it (without that annotation). */
export function withLastApplied(object: KubeObject): KubeObject {
  const copy = structuredClone(object);
  const meta = isMap(copy.metadata) ? copy.metadata : {};
  const annotations = isMap(meta.annotations) ? { ...meta.annotations } : {};
  delete annotations[LAST_APPLIED];
  const recordedMeta: Record<string, unknown> = { ...meta, annotations };
  if (Object.keys(annotations).length === 0) delete recordedMeta.annotations;
  const value = `${sortedJson({ ...copy, metadata: recordedMeta })}\n`;
  return { ...copy, metadata: { ...meta, annotations: { ...annotations, [LAST_APPLIED]: value } } };
}

/** The last applied manifest recorded on a live object, if any. */
function lastAppliedOf(live: KubeObject): Record<string, unknown> | undefined {
  const meta = isMap(live.metadata) ? live.metadata : {};
  const text = isMap(meta.annotations) ? meta.annotations[LAST_APPLIED] : undefined;
  if (typeof text !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return isMap(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** `kubectl apply -f FILE|DIR|-`. */
export class ApplyAction {
  constructor(private readonly options: ApplyOptions) {}

  /** Applies each manifest in order; failures are collected, the rest still applied. */
  async run(manifests: readonly Manifest[]): Promise<WriteResult> {
    return writeEachTarget(
      this.options,
      manifests,
      async (target) => `${kindName(target.kind)}/${target.name} ${await this.applyOne(target)}`,
    );
  }

  private async applyOne(target: ManifestTarget): Promise<string> {
    const { client, validation = 'Strict', dryRun = 'none' } = this.options;
    const write = {
      fieldManager: this.options.fieldManager ?? 'kubectl-client-side-apply',
      fieldValidation: validation,
      ...(dryRun === 'server' ? { dryRun: true } : {}),
    };
    const modified = withLastApplied(target.object);
    const source = target.manifest.source;
    let live: KubeObject | undefined;
    try {
      // Without a name there is nothing to read: the create below gets the API's error.
      if (target.name !== '') live = await client.get(target.kind, target.namespace, target.name);
    } catch (error) {
      if (!(error instanceof KubeApiError && error.code === 404)) throw error;
    }
    if (live === undefined) {
      if (dryRun !== 'client') {
        try {
          await client.create(modified, { ...write, namespace: target.namespace });
        } catch (error) {
          throw error instanceof KubeApiError ? error.withSource('creating', source) : error;
        }
      }
      return `created${dryRunSuffix(dryRun)}`;
    }
    const patch = threeWayMergePatch(lastAppliedOf(live), modified, live, target.kind.kind);
    if (Object.keys(patch).length === 0) return `unchanged${dryRunSuffix(dryRun)}`;
    if (dryRun !== 'client') {
      try {
        await client.patch(target.kind, target.namespace, target.name, patch, 'strategic', write);
      } catch (error) {
        throw error instanceof KubeApiError ? error.withSource('patching', source) : error;
      }
    }
    return `configured${dryRunSuffix(dryRun)}`;
  }
}

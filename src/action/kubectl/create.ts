/**
 * `kubectl create -f` (each manifest's object created as is) and `kubectl create <kind> NAME`
 * (an object from `generators.ts`): `deployment.apps/web created` per object.
 */

import { type FieldValidation, KubeApiError, type KubeObject, kindName } from '../../kube/index.js';
import { type DryRun, dryRunSuffix, type KubectlOptions, type WriteResult } from './context.js';
import type { Manifest } from './manifests.js';
import { writeEachTarget } from './targets.js';

/** Options of {@link CreateAction}. */
export interface CreateActionOptions extends KubectlOptions {
  /** @default 'Strict' */
  readonly validation?: FieldValidation;
  /** @default 'none' */
  readonly dryRun?: DryRun;
  /** @default 'kubectl-create' */
  readonly fieldManager?: string;
}

/** `kubectl create`. */
export class CreateAction {
  constructor(private readonly options: CreateActionOptions) {}

  /** Creates every manifest's object in order; failures are collected, the rest still created. */
  async run(manifests: readonly Manifest[]): Promise<WriteResult> {
    return writeEachTarget(this.options, manifests, async (target) => {
      const created = await this.write(target.object, target.namespace, target.manifest.source);
      return `${kindName(target.kind)}/${created} created${dryRunSuffix(this.options.dryRun ?? 'none')}`;
    });
  }

  /** Creates one generated object in the command's namespace. */
  async runGenerated(object: KubeObject): Promise<WriteResult> {
    const { client, namespace = 'default' } = this.options;
    const kind = await client.kindFor(String(object.apiVersion), String(object.kind));
    try {
      const name = await this.write(object, kind?.namespaced === false ? '' : namespace, '');
      const prefix = kind === undefined ? String(object.kind).toLowerCase() : kindName(kind);
      return {
        lines: [`${prefix}/${name} created${dryRunSuffix(this.options.dryRun ?? 'none')}`],
        errors: [],
      };
    } catch (error) {
      return { lines: [], errors: [error as Error] };
    }
  }

  /** Creates `object`; resolves to the created name. */
  private async write(object: KubeObject, namespace: string, source: string): Promise<string> {
    const { client, validation = 'Strict', dryRun = 'none' } = this.options;
    const meta = (object.metadata ?? {}) as Record<string, unknown>;
    if (dryRun === 'client') return String(meta.name ?? meta.generateName ?? '');
    try {
      const created = await client.create(object, {
        fieldManager: this.options.fieldManager ?? 'kubectl-create',
        fieldValidation: validation,
        ...(namespace === '' ? {} : { namespace }),
        ...(dryRun === 'server' ? { dryRun: true } : {}),
      });
      return String((created.metadata as Record<string, unknown>).name);
    } catch (error) {
      throw error instanceof KubeApiError ? error.withSource('creating', source) : error;
    }
  }
}

/**
 * Release hooks (`pkg/action/hooks.go`): the documents annotated `helm.sh/hook`, run around an
 * install, upgrade, rollback, delete or test. Per event, in weight order then name order: delete
 * the previous copy (`before-hook-creation`, the default policy), create, wait (Jobs until
 * complete or failed, Pods until they succeed or fail, anything else at once), record the run;
 * the first failure stops the action. `hook-succeeded` / `hook-failed` policies delete afterwards
 * (after a failure, as in Helm 4, the hooks that ran before it go under `hook-succeeded` too).
 */

import { ReleaseFailedError } from '../../internal/errors.js';
import type { KubeClient } from '../../kube/index.js';
import { waitForDeletion, waitForHook } from '../../kube/wait.js';
import type { HookEvent, HookManifest } from '../../release/manifest.js';
import type { HookRecord, Release } from '../../release/release.js';
import { deleteOne } from './apply.js';
import { buildResources, parseReleaseManifest, type Resource, refOf } from './resources.js';

/** The stored form of rendered hooks (`release.hooks`). */
export function hookRecords(hooks: readonly HookManifest[]): HookRecord[] {
  return hooks.map((h) => ({
    name: h.head.name,
    kind: h.head.kind,
    path: h.path,
    manifest: h.content,
    events: [...new Set(h.events.map((e): HookEvent => (e === 'test-success' ? 'test' : e)))],
    last_run: { phase: 'Unknown' },
    weight: h.weight,
    ...(h.deletePolicies.length > 0 ? { delete_policies: [...h.deletePolicies] } : {}),
  }));
}

/** Options of {@link runHooks}. */
export interface RunHooksOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** Stores the release after each hook's run is recorded (Helm records `Running`, then the end). */
  readonly record?: () => Promise<void>;
  /** The cluster time. */
  readonly now: () => Promise<Date>;
  /** Only hooks whose name this accepts (`helm test --filter`). */
  readonly filter?: (hook: HookRecord) => boolean;
  /**
   * Runs once the hooks have run (or one failed), before any delete policy removes them: where
   * `helm test --logs` reads the test pods' logs.
   */
  readonly beforeCleanup?: () => Promise<void>;
}

const policiesOf = (hook: HookRecord): string[] =>
  hook.delete_policies && hook.delete_policies.length > 0 ? hook.delete_policies : ['before-hook-creation'];

async function resourceOf(client: KubeClient, release: Release, hook: HookRecord): Promise<Resource> {
  const docs = parseReleaseManifest(`---\n# Source: ${hook.path}\n${hook.manifest}\n`);
  const [resource] = await buildResources(client, docs, release.namespace);
  if (!resource) throw new ReleaseFailedError(`hook ${hook.path} has no object`);
  return resource;
}

/** Sorts hooks as Helm runs them: weight ascending, then name. */
export function executionOrder(hooks: readonly HookRecord[]): HookRecord[] {
  return [...hooks].sort((a, b) => a.weight - b.weight || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * How an action reports a failed hook, in Helm's words: install says `failed pre-install: …`,
 * upgrade `pre-upgrade hooks failed: …`; rollback, uninstall and test pass the reason on as it is.
 */
function hookFailure(event: HookEvent, why: string): string {
  if (event === 'pre-install' || event === 'post-install') return `failed ${event}: ${why}`;
  if (event === 'pre-upgrade' || event === 'post-upgrade') return `${event} hooks failed: ${why}`;
  return why;
}

/** Deletes a hook's object and waits until it is gone; CRD hooks are never deleted (as in Helm). */
async function deleteHook(
  client: KubeClient,
  hook: HookRecord,
  resource: Resource,
  options: RunHooksOptions,
): Promise<void> {
  if (hook.kind === 'CustomResourceDefinition') return;
  if (!(await deleteOne(client, resource))) return;
  await waitForDeletion(client, [refOf(resource)], {
    timeoutMs: options.timeoutMs,
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

/**
 * Runs the hooks of `release` for `event`, updating their `last_run` in place. Throws at the
 * first hook that fails (see {@link hookFailure} for the wording). As Helm 4 does, a failure
 * deletes the failed hook under `hook-failed` and the hooks that ran before it under
 * `hook-succeeded`; a hook whose object cannot even be created is left alone.
 */
export async function runHooks(
  client: KubeClient,
  release: Release,
  event: HookEvent,
  options: RunHooksOptions,
): Promise<void> {
  const hooks = executionOrder(
    (release.hooks ?? []).filter((h) => h.events.includes(event) && (options.filter?.(h) ?? true)),
  );
  const succeeded: { hook: HookRecord; resource: Resource }[] = [];
  for (const hook of hooks) {
    const resource = await resourceOf(client, release, hook);
    const policies = policiesOf(hook);
    if (policies.includes('before-hook-creation')) await deleteHook(client, hook, resource, options);
    hook.last_run = { started_at: (await options.now()).toISOString(), phase: 'Running' };
    await options.record?.();
    try {
      await client.create(resource.object, { namespace: resource.namespace, fieldManager: 'helm' });
    } catch (error) {
      hook.last_run = {
        ...hook.last_run,
        completed_at: (await options.now()).toISOString(),
        phase: 'Failed',
      };
      await options.record?.();
      const message = error instanceof Error ? error.message : String(error);
      throw new ReleaseFailedError(
        hookFailure(event, `warning: Hook ${event} ${hook.path} failed: ${message}`),
      );
    }
    let outcome: { phase: 'Succeeded' | 'Failed'; reason?: string };
    try {
      outcome = await waitForHook(client, refOf(resource), {
        timeoutMs: options.timeoutMs,
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      outcome = { phase: 'Failed', reason: error instanceof Error ? error.message : String(error) };
    }
    hook.last_run = {
      ...hook.last_run,
      completed_at: (await options.now()).toISOString(),
      phase: outcome.phase,
    };
    await options.record?.();
    if (outcome.phase === 'Failed') {
      await options.beforeCleanup?.();
      if (policies.includes('hook-failed'))
        await deleteHook(client, hook, resource, options).catch(() => undefined);
      for (const done of succeeded) {
        if (policiesOf(done.hook).includes('hook-succeeded'))
          await deleteHook(client, done.hook, done.resource, options);
      }
      const why = outcome.reason ?? `${resource.kind.kind.toLowerCase()} "${resource.name}" failed`;
      throw new ReleaseFailedError(hookFailure(event, why));
    }
    succeeded.push({ hook, resource });
  }
  await options.beforeCleanup?.();
  for (const { hook, resource } of succeeded.reverse()) {
    if (policiesOf(hook).includes('hook-succeeded')) await deleteHook(client, hook, resource, options);
  }
}

/**
 * Starting one container of a pod sync (`startContainer`): its image (`EnsureImageExists`:
 * `imagePullPolicy`, pulls shared per node, pull back-off 10 s doubling to 300 s,
 * `InvalidImageName` never retried), its environment (`CreateContainerConfigError`), then
 * `Created` and `Started`.
 */

import { createHash } from 'node:crypto';
import { defaultPullPolicy } from '../api/kinds/defaults-pod.js';
import { isJsonObject } from '../api/machinery/json-values.js';
import { referenceError } from '../images/reference.js';
import type { CatalogImage, ImageReference } from '../images/types.js';
import { processOf } from './behaviour.js';
import { pullsKey } from './caches.js';
import { envSources, resolveContainerEnv } from './env.js';
import type { PodSync } from './pod-sync.js';
import {
  arr,
  BACKOFF_INITIAL_MS,
  BACKOFF_MAX_MS,
  BACKOFF_RESET_MS,
  type EventType,
  hex64,
  imageIdOf,
  obj,
  quickPullMs,
  type Slot,
  SYNC_MS,
  str,
} from './pod-sync-helpers.js';
import { goDuration } from './status.js';

/** Starts a container: image, environment, create, start. */
export function startContainer(sync: PodSync, slot: Slot): 'started' | 'pulling' | 'waiting' {
  const image = ensureImage(sync, slot);
  if (image === 'pulling') return 'pulling';
  if (image === 'failed') return 'waiting';
  const env = resolveContainerEnv(sync.ctx.api, sync.view(), slot.name, {
    allocatable: sync.node.allocatable,
    serviceEnv: (namespace, links) => sync.state.serviceEnv(namespace, links),
  });
  if (!env.ok) {
    for (const s of envSources(slot.spec)) sync.waitKeys.push(`${s.kind}/${sync.namespace}/${s.name}`);
    setWaiting(sync, slot, 'CreateContainerConfigError', env.message, false, [
      ['Warning', 'Failed', `Error: ${env.message}`],
    ]);
    return 'waiting';
  }
  for (const w of env.warnings ?? []) sync.podEvent('Warning', w.reason, w.message);
  const containerID = `containerd://${hex64(sync.ctx)}`;
  const restart = str(slot.status.containerID) !== '';
  const restartCount =
    (typeof slot.status.restartCount === 'number' ? slot.status.restartCount : 0) + (restart ? 1 : 0);
  const lastState = isJsonObject(slot.status.lastState) ? slot.status.lastState : {};
  slot.status = {
    containerID,
    image: image.reference.canonical,
    imageID: imageIdOf(image),
    lastState,
    name: slot.name,
    ready: false,
    restartCount,
    started: false,
    state: { running: { startedAt: sync.nowIso } },
  };
  sync.startedHere.add(slot.name);
  // The process starts with this environment (and the network of this moment).
  const process = processOf(sync.host, sync.view(), slot.name, containerID, Date.parse(sync.nowIso), env.env);
  sync.event(slot, 'Normal', 'Created', `Created container: ${slot.name}`);
  const startError = process?.behaviour.startError;
  if (startError !== undefined) {
    sync.event(slot, 'Warning', 'Failed', `Error: ${startError}`);
    slot.status.state = {
      terminated: {
        containerID,
        exitCode: 128,
        finishedAt: sync.nowIso,
        message: startError,
        reason: 'StartError',
        startedAt: '1970-01-01T00:00:00Z',
      },
    };
    return 'started';
  }
  sync.event(slot, 'Normal', 'Started', `Started container ${slot.name}`);
  return 'started';
}

/** `EnsureImageExists`: the image, or why the container cannot start yet. */
function ensureImage(sync: PodSync, slot: Slot): CatalogImage | 'pulling' | 'failed' {
  const raw = str(slot.spec.image);
  const policy = str(slot.spec.imagePullPolicy) || defaultPullPolicy(raw);
  const catalog = sync.state.catalog;
  const ref = catalog.parse(raw);
  if (ref === undefined) {
    const why = referenceError(raw) ?? 'invalid reference format';
    const message = `Failed to apply default image tag "${raw}": couldn't parse image name "${raw}": ${why}`;
    setWaiting(sync, slot, 'InvalidImageName', message, false, [
      ['Warning', 'InspectFailed', message],
      ['Warning', 'Failed', 'Error: InvalidImageName'],
    ]);
    return 'failed';
  }
  const present = sync.node.images.has(ref.canonical) || sync.node.images.has(raw);
  const pull = sync.record.pull?.[slot.name];
  if (pull !== undefined) {
    const [requested, done] = pull;
    if (sync.now < done) {
      sync.wake(done, 'progress');
      return 'pulling';
    }
    return pulled(sync, slot, raw, ref, requested, done);
  }
  const failed = sync.record.pullFail?.[slot.name];
  if (failed !== undefined && sync.now < failed[0] + failed[1]) {
    const [at, backoff] = failed;
    if (backoff <= SYNC_MS) {
      sync.wake(at + backoff, 'wait');
    } else if (sync.now < at + SYNC_MS) {
      sync.wake(at + SYNC_MS, 'progress');
    } else {
      const message = `Back-off pulling image "${raw}"`;
      setWaiting(sync, slot, 'ImagePullBackOff', message, false, [
        ['Normal', 'BackOff', message],
        ['Warning', 'Failed', 'Error: ImagePullBackOff'],
      ]);
      sync.wake(at + backoff, 'wait');
    }
    return 'failed';
  }
  if (policy === 'Never' && !present) {
    const message = `Container image "${raw}" is not present with pull policy of Never`;
    sync.waitKeys.push(`nodes/${sync.nodeName}`);
    setWaiting(sync, slot, 'ErrImageNeverPull', message, false, [
      ['Warning', 'ErrImageNeverPull', message],
      ['Warning', 'Failed', 'Error: ErrImageNeverPull'],
    ]);
    return 'failed';
  }
  if (present && policy !== 'Always') {
    sync.event(slot, 'Normal', 'Pulled', `Container image "${raw}" already present on machine`);
    return imageOf(sync, raw, ref);
  }
  const outcome = catalog.pull(raw);
  if (!outcome.ok && outcome.reason === 'InvalidImageName') {
    setWaiting(sync, slot, 'InvalidImageName', outcome.message, false, [
      ['Warning', 'InspectFailed', outcome.message],
      ['Warning', 'Failed', 'Error: InvalidImageName'],
    ]);
    return 'failed';
  }
  sync.event(slot, 'Normal', 'Pulling', `Pulling image "${raw}"`);
  if (!outcome.ok) {
    const pullFail = (sync.record.pullFail ??= {});
    const previous = pullFail[slot.name];
    const backoff =
      previous === undefined || sync.now - previous[0] > BACKOFF_RESET_MS
        ? BACKOFF_INITIAL_MS
        : Math.min(previous[1] * 2, BACKOFF_MAX_MS);
    pullFail[slot.name] = [sync.now, backoff];
    // The runtime's gRPC error, as the kubelet passes it on (`rpc error: code = NotFound desc = …`).
    const message = outcome.message.startsWith('rpc error:')
      ? outcome.message
      : `rpc error: code = ${outcome.code ?? 'Unknown'} desc = ${outcome.message}`;
    const failure = `Failed to pull image "${raw}": ${message}`;
    setWaiting(sync, slot, 'ErrImagePull', message, true, [
      ['Warning', 'Failed', failure],
      ['Warning', 'Failed', 'Error: ErrImagePull'],
    ]);
    sync.wake(sync.now + SYNC_MS, backoff <= SYNC_MS ? 'wait' : 'progress');
    return 'failed';
  }
  if (sync.record.pullFail !== undefined) delete sync.record.pullFail[slot.name];
  const image = outcome.image;
  if (present) {
    // `Always` with the image on the node: the registry only confirms the digest.
    const took = goDuration(quickPullMs(`${sync.uid}/${slot.name}/${str(slot.status.containerID)}`));
    sync.event(
      slot,
      'Normal',
      'Pulled',
      `Successfully pulled image "${raw}" in ${took} (${took} including waiting). Image size: ${image.sizeBytes} bytes.`,
    );
    return image;
  }
  // One pull per image and node: a pod needing an image being pulled waits for that pull.
  const pulls = obj(sync.ctx.meta.get(pullsKey(sync.nodeName)));
  const shared = pulls[ref.canonical];
  let done: number;
  if (typeof shared === 'number') done = shared;
  else {
    done = sync.now + Math.max(0, image.pullMs);
    sync.ctx.meta.set(pullsKey(sync.nodeName), { ...pulls, [ref.canonical]: done });
  }
  if (done <= sync.now) return pulled(sync, slot, raw, ref, sync.now, sync.now);
  (sync.record.pull ??= {})[slot.name] = [sync.now, done];
  sync.wake(done, 'progress');
  return 'pulling';
}

/** A pull ended: the node has the image. */
function pulled(
  sync: PodSync,
  slot: Slot,
  raw: string,
  ref: ImageReference,
  requested: number,
  done: number,
): CatalogImage {
  if (sync.record.pull !== undefined) delete sync.record.pull[slot.name];
  const image = imageOf(sync, raw, ref);
  addNodeImage(sync, image);
  const pulls = obj(sync.ctx.meta.get(pullsKey(sync.nodeName)));
  if (pulls[ref.canonical] !== undefined) {
    const { [ref.canonical]: _, ...rest } = pulls;
    sync.ctx.meta.set(pullsKey(sync.nodeName), Object.keys(rest).length > 0 ? rest : undefined);
  }
  const took = goDuration(done - requested);
  sync.event(
    slot,
    'Normal',
    'Pulled',
    `Successfully pulled image "${raw}" in ${took} (${took} including waiting). Image size: ${image.sizeBytes} bytes.`,
  );
  return image;
}

/** The catalog's image, or (an image the node has that the catalog does not know) a stand-in. */
function imageOf(sync: PodSync, raw: string, ref: ImageReference): CatalogImage {
  const outcome = sync.state.catalog.pull(raw);
  if (outcome.ok) return outcome.image;
  return {
    reference: ref,
    digest: `sha256:${createHash('sha256').update(ref.canonical).digest('hex')}`,
    sizeBytes: 0,
    pullMs: 0,
    entry: ref.canonical,
  };
}

/** Reports an image in the node's `status.images` (names: repo digest and tag, as containerd lists them). */
function addNodeImage(sync: PodSync, image: CatalogImage): void {
  const canonical = image.reference.canonical;
  if (sync.node.images.has(canonical)) return;
  const node = sync.ctx.api.get('nodes', '', sync.nodeName);
  const status = obj(node.status);
  const images = arr(status.images);
  if (images.some((i) => Array.isArray(i.names) && i.names.includes(canonical))) return;
  const updated = sync.ctx.api.update(
    {
      ...node,
      status: {
        ...status,
        images: [...images, { names: [imageIdOf(image), canonical], sizeBytes: image.sizeBytes }],
      },
    },
    { subresource: 'status', fieldManager: 'kubelet' },
  );
  sync.state.nodes.observe('MODIFIED', updated);
  const fresh = sync.state.nodes.get(sync.ctx, sync.nodeName);
  if (fresh !== undefined) sync.node = fresh;
}

/** Puts a container in a waiting state; its events are recorded when it enters it (or always, with `force`). */
function setWaiting(
  sync: PodSync,
  slot: Slot,
  reason: string,
  message: string,
  force: boolean,
  events: readonly [EventType, string, string][],
): void {
  const waiting = obj(obj(slot.status.state).waiting);
  const same = waiting.reason === reason && waiting.message === message;
  if (!same) {
    slot.status.state = { waiting: { message, reason } };
    slot.status.ready = false;
    slot.status.started = false;
  }
  if (!same || force) for (const [type, r, m] of events) sync.event(slot, type, r, m);
}

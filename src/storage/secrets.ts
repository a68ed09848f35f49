/**
 * The Secret driver (`pkg/storage/driver/secrets.go`), Helm's default: one Secret per revision
 * in the release namespace, named by the key (`sh.helm.release.v1.NAME.vN`), of type
 * `helm.sh/release.v1`, labelled `name`, `owner=helm`, `status`, `version` and
 * `createdAt`/`modifiedAt` (unix seconds) beside the user's `--labels`, with
 * `data.release` holding the encoded record. The API base64s Secret data, and the record is
 * itself base64 text, so a user reads it with `base64 -d | base64 -d | gunzip`.
 *
 * Every lookup goes through a label selector (`name=x,owner=helm`), never a scan of every
 * Secret. Two deliberate differences from Helm: an update keeps the revision's `createdAt`
 * (Helm's rewrite drops it), and system labels are filtered out of what every read returns
 * (Helm filters them on `Get` only).
 */

import { LimitError, ReleaseExistsError, ReleaseNotFoundError } from '../internal/errors.js';
import { decodeRelease, encodeRelease, InvalidReleaseError } from '../release/codec.js';
import type { Release } from '../release/release.js';
import type { Driver, ReleaseQuery, SecretsClient } from './driver.js';
import {
  ambiguousKeyError,
  assertNoSystemLabels,
  labelSelector,
  parseReleaseKey,
  queryLabels,
  storageLabels,
  userLabels,
} from './labels.js';

/** The Secret type Helm 3 and 4 store releases as. */
export const RELEASE_SECRET_TYPE = 'helm.sh/release.v1';

/** Kubernetes' limit on a Secret's data (decoded bytes), which a big release can hit. */
export const MAX_SECRET_DATA_BYTES = 1024 * 1024;

type SecretObject = Record<string, unknown>;

/** Options of the Secret driver. */
export interface SecretDriverOptions {
  /**
   * The clock `createdAt`/`modifiedAt` are read from. @default the client's `now()` when it has
   * one (the cluster's time, virtual in the embedded cluster), else the system clock
   */
  readonly now?: () => Date | Promise<Date>;
  /** Told about records that `list`/`query` skip because they cannot be read (Helm logs them). */
  readonly warn?: (message: string) => void;
}

/** A failure the API server reported, recognised by its shape (storage sits below `kube/`). */
function apiError(err: unknown): { code: number; reason: string; message: string } | undefined {
  if (!(err instanceof Error)) return undefined;
  const { code, reason } = err as Error & { code?: unknown; reason?: unknown };
  return typeof code === 'number' ? { code, reason: String(reason ?? ''), message: err.message } : undefined;
}

const isNotFound = (err: unknown) => apiError(err)?.code === 404;
const isAlreadyExists = (err: unknown) => {
  const e = apiError(err);
  return e?.code === 409 && e.reason === 'AlreadyExists';
};

function metadataOf(secret: SecretObject): Record<string, unknown> {
  const m = secret['metadata'];
  return m !== null && typeof m === 'object' ? (m as Record<string, unknown>) : {};
}

/** The record size error, in Kubernetes' words, wrapped as Helm wraps a failed write. */
function tooLong(verb: 'create' | 'update', key: string): LimitError {
  const past = verb === 'create' ? 'create: failed to create' : 'update: failed to update';
  return new LimitError(
    `${past}: Secret "${key}" is invalid: data: Too long: must have at most ${MAX_SECRET_DATA_BYTES} bytes`,
  );
}

const isTooLong = (err: unknown) => {
  const e = apiError(err);
  return e?.code === 422 && /\bdata: Too long\b/.test(e.message);
};

/** Release storage in Secrets, in one namespace or (namespace `''`) across all of them. */
export class SecretDriver implements Driver {
  readonly name = 'Secret';

  /**
   * `namespace` `''` lists and queries every namespace; writes then go to the release's own
   * namespace, and reads by key find the namespace that holds the key.
   */
  constructor(
    private readonly client: SecretsClient,
    readonly namespace: string,
    private readonly options: SecretDriverOptions = {},
  ) {}

  async get(key: string): Promise<Release> {
    return this.toRelease(await this.find(key), key);
  }

  async list(filter: (release: Release) => boolean): Promise<Release[]> {
    const secrets = await this.select({ owner: 'helm' });
    return this.decodeAll(secrets).filter((r) => filter(r));
  }

  async query(query: ReleaseQuery): Promise<Release[]> {
    const found = this.decodeAll(await this.select(queryLabels(query)));
    if (found.length === 0) throw new ReleaseNotFoundError();
    return found;
  }

  async create(key: string, release: Release): Promise<void> {
    assertNoSystemLabels(release.labels);
    const namespace = this.namespaceFor(release);
    const secret = this.secretOf(key, release, namespace, { createdAt: await this.unixNow() }, 'create');
    try {
      await this.client.create(secret, { namespace });
    } catch (err) {
      if (isAlreadyExists(err)) throw new ReleaseExistsError();
      if (isTooLong(err)) throw tooLong('create', key);
      throw err;
    }
  }

  async update(key: string, release: Release): Promise<void> {
    assertNoSystemLabels(release.labels);
    const namespace = this.namespaceFor(release);
    let current: SecretObject;
    try {
      current = await this.client.get('secrets', namespace, key);
    } catch (err) {
      if (isNotFound(err)) throw new ReleaseNotFoundError();
      throw err;
    }
    const meta = metadataOf(current);
    const oldLabels = (meta['labels'] ?? {}) as Record<string, unknown>;
    const stamps: Record<string, string> = { modifiedAt: await this.unixNow() };
    if (typeof oldLabels['createdAt'] === 'string') stamps['createdAt'] = oldLabels['createdAt'];
    const secret = this.secretOf(key, release, namespace, stamps, 'update');
    if (typeof meta['resourceVersion'] === 'string') {
      (secret['metadata'] as Record<string, unknown>)['resourceVersion'] = meta['resourceVersion'];
    }
    try {
      await this.client.update(secret);
    } catch (err) {
      if (isNotFound(err)) throw new ReleaseNotFoundError();
      if (isTooLong(err)) throw tooLong('update', key);
      throw err;
    }
  }

  async delete(key: string): Promise<Release> {
    const secret = await this.find(key);
    const release = this.toRelease(secret, key);
    const namespace = String(metadataOf(secret)['namespace'] ?? this.namespace);
    try {
      await this.client.delete('secrets', namespace, key);
    } catch (err) {
      if (isNotFound(err)) throw new ReleaseNotFoundError();
      throw err;
    }
    return release;
  }

  /** Where a revision is written: the driver's namespace, else the release's own. */
  private namespaceFor(release: Release): string {
    return this.namespace || release.namespace || 'default';
  }

  private async unixNow(): Promise<string> {
    const clock =
      this.options.now ??
      (typeof (this.client as { now?: unknown }).now === 'function'
        ? () => (this.client as unknown as { now(): Promise<Date> }).now()
        : () => new Date());
    return String(Math.floor((await clock()).getTime() / 1000));
  }

  /** The Secrets the labels select, in this driver's namespace or all of them. */
  private async select(labels: Readonly<Record<string, string>>): Promise<readonly SecretObject[]> {
    const labelSel = labelSelector(labels);
    const options =
      this.namespace === ''
        ? { labelSelector: labelSel }
        : { namespace: this.namespace, labelSelector: labelSel };
    return (await this.client.list('secrets', options)).items;
  }

  /** The Secret holding `key`; across namespaces it is found by its labels. */
  private async find(key: string): Promise<SecretObject> {
    if (this.namespace !== '') {
      try {
        return await this.client.get('secrets', this.namespace, key);
      } catch (err) {
        if (isNotFound(err)) throw new ReleaseNotFoundError();
        throw err;
      }
    }
    const parsed = parseReleaseKey(key);
    if (!parsed) throw new ReleaseNotFoundError();
    const hits = (
      await this.select({ name: parsed.name, owner: 'helm', version: String(parsed.version) })
    ).filter((s) => metadataOf(s)['name'] === key);
    if (hits.length === 0) throw new ReleaseNotFoundError();
    if (hits.length > 1)
      throw ambiguousKeyError(
        key,
        hits.map((s) => String(metadataOf(s)['namespace'])),
      );
    return hits[0]!;
  }

  private secretOf(
    key: string,
    release: Release,
    namespace: string,
    stamps: Readonly<Record<string, string>>,
    verb: 'create' | 'update',
  ): SecretObject {
    const encoded = encodeRelease(release);
    if (Buffer.byteLength(encoded) > MAX_SECRET_DATA_BYTES) throw tooLong(verb, key);
    return {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: key, namespace, labels: { ...storageLabels(release), ...stamps } },
      type: RELEASE_SECRET_TYPE,
      data: { release: Buffer.from(encoded, 'utf8').toString('base64') },
    };
  }

  /** The revision a Secret holds, with the user's labels from the Secret's labels. */
  private toRelease(secret: SecretObject, key: string): Release {
    const data = secret['data'];
    const field =
      data !== null && typeof data === 'object' ? (data as Record<string, unknown>)['release'] : undefined;
    if (typeof field !== 'string') {
      throw new InvalidReleaseError(
        `release ${JSON.stringify(key)}: invalid release data: the Secret has no data.release`,
      );
    }
    const release = decodeRelease(Buffer.from(field, 'base64').toString('utf8'), key);
    const labels = userLabels(metadataOf(secret)['labels'] as Record<string, unknown> | undefined);
    return labels ? { ...release, labels } : release;
  }

  /** Decodes every Secret, skipping (and reporting) those that cannot be read, as Helm does. */
  private decodeAll(secrets: readonly SecretObject[]): Release[] {
    const out: Release[] = [];
    for (const secret of secrets) {
      const key = String(metadataOf(secret)['name'] ?? '');
      try {
        out.push(this.toRelease(secret, key));
      } catch (err) {
        this.options.warn?.(`skipping release record ${JSON.stringify(key)}: ${(err as Error).message}`);
      }
    }
    return out;
  }
}

/**
 * The serviceaccount-controller (`pkg/controller/serviceaccount`), with the token controller of
 * the clusters the training was written on (Kubernetes before 1.24).
 *
 * - Every namespace has a ServiceAccount `default`: a new namespace gets one, a deleted one is
 *   created again (not in a namespace being deleted). It is made by the bootstrap's own builder,
 *   so a namespace created later looks like the bootstrapped ones.
 * - Every ServiceAccount has a token Secret `<account>-token-<5 random>` (type
 *   `kubernetes.io/service-account-token`, annotated with the account's name and uid, holding
 *   `ca.crt`, `namespace` and a JWT-shaped `token`) listed in its `secrets`: `kubectl create
 *   serviceaccount viewer` gets `viewer-token-xxxxx`, as the training shows. A deleted token is
 *   replaced (and its reference dropped); a deleted account's tokens are deleted.
 */

import { isJsonObject } from '../api/machinery/json-values.js';
import { ApiError } from '../api/types.js';
import { createServiceAccount, serviceAccountToken } from '../bootstrap/accounts.js';
import type { Controller, ControllerContext } from '../runtime/types.js';
import { splitKey } from '../runtime/types.js';
import type { KubeObject } from '../store/types.js';
import { getOptional } from './endpoints.js';
import { bootstrapContextOf, clusterCaCertificate, isActiveNamespace } from './root-ca.js';
import { annotations, isDeleting, meta, uidOf } from './shared.js';

/** The controller's name. */
export const SERVICEACCOUNT_CONTROLLER = 'serviceaccount-controller';
/** The account every namespace has. */
export const DEFAULT_SERVICE_ACCOUNT = 'default';
/** The type of token Secrets. */
export const SERVICE_ACCOUNT_TOKEN_TYPE = 'kubernetes.io/service-account-token';
const ACCOUNT_NAME_ANNOTATION = 'kubernetes.io/service-account.name';
const ACCOUNT_UID_ANNOTATION = 'kubernetes.io/service-account.uid';

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** Whether a Secret is a token of the account (by the annotations the token controller sets). */
function isTokenOf(secret: KubeObject, account: KubeObject): boolean {
  const a = annotations(secret);
  return (
    secret.type === SERVICE_ACCOUNT_TOKEN_TYPE &&
    a[ACCOUNT_NAME_ANNOTATION] === String(meta(account).name) &&
    (a[ACCOUNT_UID_ANNOTATION] === undefined || a[ACCOUNT_UID_ANNOTATION] === uidOf(account))
  );
}

/** Creates a token Secret for an account, shaped as the bootstrap's, and returns its name. */
function createToken(ctx: ControllerContext, account: KubeObject, ca: string): string {
  const namespace = String(meta(account).namespace);
  const name = String(meta(account).name);
  const uid = uidOf(account);
  const { secretName, token } = ctx.draw((random) => {
    const secretName = `${name}-token-${random.nameSuffix()}`;
    return { secretName, token: serviceAccountToken(random, { namespace, secretName, account: name, uid }) };
  });
  ctx.api.create(
    {
      apiVersion: 'v1',
      kind: 'Secret',
      type: SERVICE_ACCOUNT_TOKEN_TYPE,
      metadata: {
        name: secretName,
        namespace,
        annotations: { [ACCOUNT_NAME_ANNOTATION]: name, [ACCOUNT_UID_ANNOTATION]: uid },
      },
      data: { 'ca.crt': b64(ca), namespace: b64(namespace), token: b64(token) },
    },
    { fieldManager: SERVICEACCOUNT_CONTROLLER },
  );
  return secretName;
}

/** Builds the serviceaccount-controller. */
export function serviceAccountController(): Controller {
  let ca: string | undefined;
  /** Accounts seen deleted, whose tokens are to go. */
  const deleted = new Set<string>();
  const caOf = (ctx: ControllerContext): string | undefined => (ca ??= clusterCaCertificate(ctx));

  /** A namespace key: make sure `default` exists. */
  const syncNamespace = (ctx: ControllerContext, namespace: string): void => {
    if (!isActiveNamespace(ctx, namespace)) return;
    if (getOptional(ctx, 'serviceaccounts', namespace, DEFAULT_SERVICE_ACCOUNT) !== undefined) return;
    const cert = caOf(ctx);
    if (cert === undefined) return;
    createServiceAccount(bootstrapContextOf(ctx, cert), namespace, DEFAULT_SERVICE_ACCOUNT);
  };

  /** Deletes the tokens of an account that are not the current account's (it was deleted). */
  const deleteStaleTokens = (ctx: ControllerContext, namespace: string, name: string, uid: string): void => {
    for (const secret of ctx.api.list('secrets', { namespace }).items) {
      const a = annotations(secret);
      if (secret.type !== SERVICE_ACCOUNT_TOKEN_TYPE || a[ACCOUNT_NAME_ANNOTATION] !== name) continue;
      if (uid !== '' && a[ACCOUNT_UID_ANNOTATION] === uid) continue;
      try {
        ctx.api.delete('secrets', namespace, String(meta(secret).name), {
          fieldManager: SERVICEACCOUNT_CONTROLLER,
        });
      } catch (error) {
        if (!(error instanceof ApiError && error.status.code === 404)) throw error;
      }
    }
  };

  /** An account key: make sure it has a token (and, after a deletion, that the old tokens are gone). */
  const syncAccount = (ctx: ControllerContext, namespace: string, name: string): void => {
    const account = getOptional(ctx, 'serviceaccounts', namespace, name);
    const key = `${namespace}/${name}`;
    if (deleted.has(key)) {
      deleted.delete(key);
      deleteStaleTokens(ctx, namespace, name, account === undefined ? '' : uidOf(account));
    }
    if (account === undefined) return;
    if (isDeleting(account) || !isActiveNamespace(ctx, namespace)) return;
    const refs = Array.isArray(account.secrets) ? account.secrets.filter(isJsonObject) : [];
    const kept: KubeObject[] = [];
    let hasToken = false;
    for (const ref of refs) {
      const secret = getOptional(ctx, 'secrets', namespace, String(ref.name ?? ''));
      if (secret === undefined) continue;
      kept.push(ref);
      if (isTokenOf(secret, account)) hasToken = true;
    }
    if (hasToken && kept.length === refs.length) return;
    const cert = caOf(ctx);
    if (cert === undefined) return;
    const secrets = hasToken ? kept : [...kept, { name: createToken(ctx, account, cert) }];
    ctx.api.update({ ...account, secrets }, { fieldManager: SERVICEACCOUNT_CONTROLLER });
  };

  return {
    name: SERVICEACCOUNT_CONTROLLER,
    resources: ['namespaces', 'serviceaccounts', 'secrets'],
    reset() {
      ca = undefined;
      deleted.clear();
    },
    observe(event, ctx) {
      const { resource, namespace, name } = event.key;
      if (resource === 'namespaces') {
        if (event.type === 'ADDED') ctx.enqueue(name);
      } else if (resource === 'serviceaccounts') {
        if (event.type === 'DELETED') {
          deleted.add(`${namespace}/${name}`);
          if (name === DEFAULT_SERVICE_ACCOUNT) ctx.enqueue(namespace);
        }
        ctx.enqueue(`${namespace}/${name}`);
      } else if (event.type === 'DELETED' && event.object.type === SERVICE_ACCOUNT_TOKEN_TYPE) {
        const account = annotations(event.object)[ACCOUNT_NAME_ANNOTATION];
        if (account !== undefined) ctx.enqueue(`${namespace}/${account}`);
      }
    },
    reconcile(key, ctx) {
      const { namespace, name } = splitKey(key);
      if (namespace === '') syncNamespace(ctx, name);
      else syncAccount(ctx, namespace, name);
    },
  };
}

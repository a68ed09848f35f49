/**
 * ServiceAccounts and their token Secrets.
 *
 * Kubernetes 1.24 and later no longer create a `<sa>-token-xxxxx` Secret per ServiceAccount (pods
 * get short-lived projected tokens instead). bosun keeps the habit of the clusters the training
 * was written on: every bootstrapped ServiceAccount has one, listed in its `secrets`, and the
 * training extracts `data.token` from it to call the API. The token is a JWT-shaped legacy
 * service-account token with the classic claims and a random (unverifiable) signature, drawn from
 * the cluster's seeded generator, so the same seed gives the same tokens.
 */

import type { SeededRandom } from '../api/machinery/seeded-random.js';
import {
  type BootstrapContext,
  base64url,
  create,
  createConfigMap,
  type Json,
  pem,
  randomBytes,
  uidOf,
} from './context.js';

/** The ServiceAccounts of kube-system besides `default`: the controllers' and the add-ons'. */
export const KUBE_SYSTEM_ACCOUNTS: readonly string[] = [
  'attachdetach-controller',
  'bootstrap-signer',
  'certificate-controller',
  'clusterrole-aggregation-controller',
  'coredns',
  'cronjob-controller',
  'daemon-set-controller',
  'deployment-controller',
  'disruption-controller',
  'endpoint-controller',
  'endpointslice-controller',
  'ephemeral-volume-controller',
  'expand-controller',
  'generic-garbage-collector',
  'horizontal-pod-autoscaler',
  'job-controller',
  'kube-proxy',
  'namespace-controller',
  'node-controller',
  'persistent-volume-binder',
  'pod-garbage-collector',
  'pv-protection-controller',
  'pvc-protection-controller',
  'replicaset-controller',
  'replication-controller',
  'resourcequota-controller',
  'root-ca-cert-publisher',
  'service-account-controller',
  'statefulset-controller',
  'token-cleaner',
  'ttl-controller',
  'weave-net',
];

/** A (fake) CA certificate: a PEM block of seeded random bytes, the size of a real one. */
export function fakeCaCertificate(random: SeededRandom): string {
  return pem('CERTIFICATE', randomBytes(random, 801));
}

/** A legacy service-account token: `header.claims.signature`, base64url each. */
export function serviceAccountToken(
  random: SeededRandom,
  claims: { namespace: string; secretName: string; account: string; uid: string },
): string {
  const kid = base64url(randomBytes(random, 32));
  const header = { alg: 'RS256', kid };
  const payload = {
    iss: 'kubernetes/serviceaccount',
    'kubernetes.io/serviceaccount/namespace': claims.namespace,
    'kubernetes.io/serviceaccount/secret.name': claims.secretName,
    'kubernetes.io/serviceaccount/service-account.name': claims.account,
    'kubernetes.io/serviceaccount/service-account.uid': claims.uid,
    sub: `system:serviceaccount:${claims.namespace}:${claims.account}`,
  };
  const signature = base64url(randomBytes(random, 256));
  return `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}.${signature}`;
}

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/**
 * Creates ServiceAccount `name` in `namespace` (as the service-account controller does) and its
 * token Secret (as the token controller did), and links them. Returns the stored account.
 */
export function createServiceAccount(ctx: BootstrapContext, namespace: string, name: string): Json {
  const account = create(
    ctx,
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } },
    'kube-controller-manager',
  );
  const uid = uidOf(account);
  const { secretName, token } = ctx.draw((random) => {
    const secretName = `${name}-token-${random.nameSuffix()}`;
    return { secretName, token: serviceAccountToken(random, { namespace, secretName, account: name, uid }) };
  });
  create(
    ctx,
    {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/service-account-token',
      metadata: {
        name: secretName,
        namespace,
        annotations: {
          'kubernetes.io/service-account.name': name,
          'kubernetes.io/service-account.uid': uid,
        },
      },
      data: { 'ca.crt': b64(ctx.caCert), namespace: b64(namespace), token: b64(token) },
    },
    'kube-controller-manager',
  );
  return ctx.api.update(
    { ...account, secrets: [{ name: secretName }] },
    { fieldManager: 'kube-controller-manager' },
  );
}

/** The `kube-root-ca.crt` ConfigMap the root-CA publisher puts in every namespace. */
export function rootCaConfigMap(ctx: BootstrapContext, namespace: string): Json {
  return createConfigMap(
    ctx,
    {
      name: 'kube-root-ca.crt',
      namespace,
      annotations: { 'kubernetes.io/description': ROOT_CA_DESCRIPTION },
    },
    { 'ca.crt': ctx.caCert },
    'kube-controller-manager',
  );
}

const ROOT_CA_DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

/** A namespace's `default` account (with its token) and its root CA ConfigMap. */
export function populateNamespace(ctx: BootstrapContext, namespace: string): void {
  rootCaConfigMap(ctx, namespace);
  createServiceAccount(ctx, namespace, 'default');
}

/** The bootstrap token kubeadm creates for `kubeadm join` (valid 24 hours), in kube-system. */
export function bootstrapTokenSecret(ctx: BootstrapContext): Json {
  const { id, secret } = ctx.draw((random) => ({
    id: tokenChars(random, 6),
    secret: tokenChars(random, 16),
  }));
  return create(
    ctx,
    {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'bootstrap.kubernetes.io/token',
      metadata: { name: `bootstrap-token-${id}`, namespace: 'kube-system' },
      data: {
        'auth-extra-groups': b64('system:bootstrappers:kubeadm:default-node-token'),
        description: b64("The default bootstrap token generated by 'kubeadm init'."),
        expiration: b64(ctx.time(24 * 3600)),
        'token-id': b64(id),
        'token-secret': b64(secret),
        'usage-bootstrap-authentication': b64('true'),
        'usage-bootstrap-signing': b64('true'),
      },
    },
    'kubeadm',
  );
}

function tokenChars(random: SeededRandom, length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[random.nextInt(alphabet.length)];
  return out;
}

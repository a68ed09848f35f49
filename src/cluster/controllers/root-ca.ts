/**
 * The root-ca-cert-publisher (`pkg/controller/certificates/rootcacertpublisher`): every namespace
 * has the ConfigMap `kube-root-ca.crt` with the cluster CA (`ca.crt`) and the
 * `kubernetes.io/description` annotation, as the bootstrap writes it. A new namespace gets one; a
 * deleted one is created again; one whose data changed (or lost its description) is put back. A
 * namespace being deleted is left alone.
 *
 * The CA is the cluster's: the bootstrap publishes it in kube-system's
 * `extension-apiserver-authentication` (`client-ca-file`) and in kube-public's `cluster-info`
 * kubeconfig, where the controller reads it (as kube-controller-manager reads `--root-ca-file`).
 */

import { isJsonObject, jsonEqual } from '../api/machinery/json-values.js';
import { rfc3339 } from '../api/machinery/object-stamps.js';
import { ApiError } from '../api/types.js';
import { rootCaConfigMap } from '../bootstrap/accounts.js';
import type { BootstrapContext } from '../bootstrap/context.js';
import type { Controller, ControllerContext } from '../runtime/types.js';
import type { KubeObject } from '../store/types.js';
import { getOptional } from './endpoints.js';
import { annotations, meta, statusOf } from './shared.js';

/** The controller's name. */
export const ROOT_CA_PUBLISHER = 'root-ca-cert-publisher';
/** The ConfigMap every namespace gets. */
export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
const DESCRIPTION_ANNOTATION = 'kubernetes.io/description';

/**
 * The cluster CA certificate (PEM), read from where the bootstrap published it; undefined when
 * it cannot be found.
 */
export function clusterCaCertificate(ctx: Pick<ControllerContext, 'api'>): string | undefined {
  const auth = getOptionalRead(ctx, 'kube-system', 'extension-apiserver-authentication');
  const fromAuth = isJsonObject(auth?.data) ? auth.data['client-ca-file'] : undefined;
  if (typeof fromAuth === 'string' && fromAuth.includes('BEGIN CERTIFICATE')) return fromAuth;
  const info = getOptionalRead(ctx, 'kube-public', 'cluster-info');
  const kubeconfig = isJsonObject(info?.data) ? info.data.kubeconfig : undefined;
  const m = typeof kubeconfig === 'string' ? /certificate-authority-data:\s*(\S+)/.exec(kubeconfig) : null;
  if (m !== null) {
    const pem = Buffer.from(m[1]!, 'base64').toString('utf8');
    if (pem.includes('BEGIN CERTIFICATE')) return pem;
  }
  return undefined;
}

function getOptionalRead(
  ctx: Pick<ControllerContext, 'api'>,
  namespace: string,
  name: string,
): KubeObject | undefined {
  try {
    return ctx.api.get('configmaps', namespace, name);
  } catch (error) {
    if (error instanceof ApiError && error.status.code === 404) return undefined;
    throw error;
  }
}

/**
 * A bootstrap context over a controller's, so controllers create namespace objects (accounts,
 * tokens, the CA ConfigMap) with the bootstrap's own builders and look the same.
 */
export function bootstrapContextOf(ctx: ControllerContext, caCert: string): BootstrapContext {
  return {
    api: ctx.api,
    nodes: 0,
    at: () => {},
    time: (seconds = 0) => rfc3339(new Date(ctx.now().getTime() + seconds * 1000)),
    draw: (fn) => ctx.draw(fn),
    caCert,
  };
}

/** Whether a namespace exists and is not being deleted. */
export function isActiveNamespace(ctx: ControllerContext, namespace: string): boolean {
  const ns = getOptional(ctx, 'namespaces', '', namespace);
  return ns !== undefined && meta(ns).deletionTimestamp == null && statusOf(ns).phase !== 'Terminating';
}

/** Builds the root-ca-cert-publisher. */
export function rootCaPublisherController(): Controller {
  let ca: string | undefined;
  return {
    name: ROOT_CA_PUBLISHER,
    resources: ['namespaces', 'configmaps'],
    reset() {
      ca = undefined;
    },
    observe(event, ctx) {
      if (event.key.resource === 'namespaces') {
        if (event.type !== 'DELETED') ctx.enqueue(event.key.name);
        return;
      }
      if (event.key.name !== ROOT_CA_CONFIGMAP) return;
      // Only a change that makes it wrong (or its deletion) needs work.
      if (event.type === 'DELETED' || ca === undefined) {
        ctx.enqueue(event.key.namespace);
        return;
      }
      const data = isJsonObject(event.object.data) ? event.object.data : {};
      if (!jsonEqual(data, { 'ca.crt': ca }) || !annotations(event.object)[DESCRIPTION_ANNOTATION])
        ctx.enqueue(event.key.namespace);
    },
    reconcile(namespace, ctx) {
      if (!isActiveNamespace(ctx, namespace)) return;
      ca ??= clusterCaCertificate(ctx);
      if (ca === undefined) return;
      const current = getOptional(ctx, 'configmaps', namespace, ROOT_CA_CONFIGMAP);
      if (current === undefined) {
        rootCaConfigMap(bootstrapContextOf(ctx, ca), namespace);
        return;
      }
      const data = { 'ca.crt': ca };
      const currentAnnotations = annotations(current);
      const hasDescription = (currentAnnotations[DESCRIPTION_ANNOTATION] ?? '') !== '';
      if (jsonEqual(current.data ?? {}, data) && current.binaryData === undefined && hasDescription) return;
      const next: KubeObject = {
        ...current,
        metadata: {
          ...meta(current),
          annotations: hasDescription
            ? currentAnnotations
            : {
                ...currentAnnotations,
                [DESCRIPTION_ANNOTATION]: String(
                  annotations(rootCaTemplate(ctx, ca, namespace))[DESCRIPTION_ANNOTATION] ?? '',
                ),
              },
        },
        data,
      };
      delete next.binaryData;
      ctx.api.update(next, { fieldManager: ROOT_CA_PUBLISHER });
    },
  };
}

/** The ConfigMap as the bootstrap builds it (captured, not written), to read its description. */
function rootCaTemplate(ctx: ControllerContext, ca: string, namespace: string): KubeObject {
  const capture: BootstrapContext = {
    ...bootstrapContextOf(ctx, ca),
    api: { create: (object: KubeObject) => object } as unknown as BootstrapContext['api'],
  };
  return rootCaConfigMap(capture, namespace);
}

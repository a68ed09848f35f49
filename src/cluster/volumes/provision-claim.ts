import { ApiError } from '../api/types.js';
import type { ControllerContext } from '../runtime/types.js';
import type { KubeObject } from '../store/types.js';
import { bind, NAME, recorder, setClaimPhase } from './binding.js';
import { ANN, annotationsOf, metaOf } from './matching.js';
import { NO_PROVISIONER, provisionVolume } from './provisioner.js';

/** `provisionClaim` and the external provisioner's work: a new volume, pre-bound, then bound. */
export function provision(
  ctx: ControllerContext,
  claim: KubeObject,
  className: string,
  sc: KubeObject | undefined,
  node: KubeObject | string | undefined,
): void {
  if (sc === undefined) {
    recorder(ctx).record(
      claim,
      'Warning',
      'ProvisioningFailed',
      `storageclass.storage.k8s.io ${JSON.stringify(className)} not found`,
    );
    setClaimPhase(ctx, claim, 'Pending');
    return;
  }
  const provisioner = String(sc.provisioner ?? '');
  if (provisioner === '' || provisioner === NO_PROVISIONER) {
    recorder(ctx).record(claim, 'Warning', 'ProvisioningFailed', 'no provisionable volume plugin matched');
    setClaimPhase(ctx, claim, 'Pending');
    return;
  }
  const annotations = annotationsOf(claim);
  if (
    annotations[ANN.storageProvisioner] !== provisioner ||
    annotations[ANN.betaStorageProvisioner] !== provisioner
  ) {
    claim = ctx.api.update(
      {
        ...claim,
        metadata: {
          ...metaOf(claim),
          annotations: {
            ...annotations,
            [ANN.betaStorageProvisioner]: provisioner,
            [ANN.storageProvisioner]: provisioner,
          },
        },
      },
      { fieldManager: NAME },
    );
    recorder(ctx).record(
      claim,
      'Normal',
      'ExternalProvisioning',
      `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
    );
  }
  const claimKey = `${String(metaOf(claim).namespace)}/${String(metaOf(claim).name)}`;
  const provisionerEvents = ctx.recorder(provisioner);
  provisionerEvents.record(
    claim,
    'Normal',
    'Provisioning',
    `External provisioner is provisioning volume for claim ${JSON.stringify(claimKey)}`,
  );
  const volume = provisionVolume(claim, sc, node);
  if (typeof volume === 'string') {
    provisionerEvents.record(
      claim,
      'Warning',
      'ProvisioningFailed',
      `failed to provision volume with StorageClass ${JSON.stringify(className)}: ${volume}`,
    );
    setClaimPhase(ctx, claim, 'Pending');
    return;
  }
  let created: KubeObject;
  try {
    created = ctx.api.create(volume, { fieldManager: provisioner });
  } catch (error) {
    if (!(error instanceof ApiError) || error.status.reason !== 'AlreadyExists') throw error;
    created = ctx.api.get('persistentvolumes', '', String(metaOf(volume).name));
  }
  provisionerEvents.record(
    claim,
    'Normal',
    'ProvisioningSucceeded',
    `Successfully provisioned volume ${String(metaOf(created).name)}`,
  );
  bind(ctx, created, claim);
}

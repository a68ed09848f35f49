import { isJsonObject } from '../api/machinery/json-values.js';
import type { ControllerContext } from '../runtime/types.js';
import type { KubeObject, WatchEvent } from '../store/types.js';
import { metaOf, specOf } from './matching.js';

/**
 * Every volume, kept from `observe` once built from one list, so an unbound claim does not list
 * the volumes again. The candidates of a claim are the volumes any claim may bind (no `claimRef`,
 * or one without a uid) and those whose `claimRef` names it (provisioned for it, or pre-bound by
 * the user or the scheduler).
 */
export class VolumeCache {
  private volumes: Map<string, KubeObject> | undefined;
  private builtAt = 0;

  reset(): void {
    this.volumes = undefined;
  }

  observe(event: WatchEvent): void {
    if (this.volumes === undefined || event.revision <= this.builtAt) return;
    if (event.type === 'DELETED') this.volumes.delete(event.key.name);
    else this.volumes.set(event.key.name, event.object);
  }

  /** The candidate volumes of a claim, by name. */
  candidates(ctx: ControllerContext, claim: KubeObject): KubeObject[] {
    if (this.volumes === undefined) {
      const list = ctx.api.list('persistentvolumes');
      this.volumes = new Map();
      this.builtAt = Number(list.metadata.resourceVersion);
      for (const pv of list.items) this.volumes.set(String(metaOf(pv).name), pv);
    }
    const m = metaOf(claim);
    const out: KubeObject[] = [];
    for (const pv of this.volumes.values()) {
      const ref = specOf(pv).claimRef;
      if (!isJsonObject(ref) || !ref.uid || (ref.name === m.name && ref.namespace === m.namespace))
        out.push(pv);
    }
    return out.sort((a, b) => (String(metaOf(a).name) < String(metaOf(b).name) ? -1 : 1));
  }
}

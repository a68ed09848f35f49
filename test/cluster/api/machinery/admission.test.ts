import { describe, expect, it } from 'vitest';
import type { AdmissionPlugin } from '../../../../src/cluster/api/machinery/admission.js';
import { forbidden } from '../../../../src/cluster/api/machinery/api-errors.js';
import { configMap, meta, newCluster } from './fixtures.js';

describe('admission', () => {
  it('runs extra plugins in the write transaction; a refusal stores nothing', () => {
    const seen: string[] = [];
    const quota: AdmissionPlugin = {
      name: 'TestQuota',
      admit(request) {
        seen.push(`${request.operation} ${request.info.plural} ${request.namespace}/${request.name}`);
        if (
          request.operation === 'CREATE' &&
          request.info.plural === 'configmaps' &&
          request.name === 'too-many'
        ) {
          throw forbidden(
            request.info,
            request.name,
            'exceeded quota: q, requested: configmaps=1, used: configmaps=1, limited: configmaps=1',
          );
        }
        // Plugins may change what is stored.
        if (request.operation === 'CREATE' && request.object) {
          (meta(request.object).annotations as Record<string, string> | undefined) ??= {};
          meta(request.object).annotations = { admitted: 'yes' };
        }
      },
    };
    const { api, store } = newCluster({ api: { admission: [quota] } });
    const ok = api.create(configMap('ok'));
    expect(meta(ok).annotations).toEqual({ admitted: 'yes' });
    const before = store.currentRevision();
    expect(() => api.create(configMap('too-many'))).toThrow(
      'configmaps "too-many" is forbidden: exceeded quota: q, requested: configmaps=1, used: configmaps=1, limited: configmaps=1',
    );
    expect(store.currentRevision()).toBe(before);
    api.delete('cm', 'default', 'ok');
    expect(seen).toContain('DELETE configmaps default/ok');
  });
});

import { describe, expect, it } from 'vitest';
import type { CatalogImage } from '../../../src/cluster/images/types.js';
import { hex64, imageIdOf, quickPullMs } from '../../../src/cluster/kubelet/pod-sync-helpers.js';
import type { ControllerContext } from '../../../src/cluster/runtime/types.js';

describe('pod sync helpers', () => {
  it('builds a container id from eight draws of the generator, each padded to 8 hex digits', () => {
    const values = [0, 1, 0xffffffff, 0xabc, 0x12345678, 0x80000000, 0x7f, 0xdeadbeef];
    let draws = 0;
    const ctx = {
      draw: <T>(fn: (random: { nextUint32(): number }) => T): T => {
        draws++;
        let i = 0;
        return fn({ nextUint32: () => values[i++] ?? 0 });
      },
    } as unknown as ControllerContext;
    expect(hex64(ctx)).toBe(
      '00000000' + '00000001' + 'ffffffff' + '00000abc' + '12345678' + '80000000' + '0000007f' + 'deadbeef',
    );
    // One draw of the cluster's generator per id (the ids of later containers depend on it).
    expect(draws).toBe(1);
  });

  it('takes a stable 200-999 ms for a registry check, from the FNV-1a hash of the seed', () => {
    // FNV-1a of '' is its offset basis 0x811c9dc5, of 'a' 0xe40c292c.
    expect(quickPullMs('')).toBe(200 + (0x811c9dc5 % 800));
    expect(quickPullMs('a')).toBe(200 + (0xe40c292c % 800));
    expect(quickPullMs('uid-1/web/containerd://abc')).toBe(834);
    expect(quickPullMs('uid-1/web/containerd://abc')).toBe(quickPullMs('uid-1/web/containerd://abc'));
    for (let i = 0; i < 200; i++) {
      const ms = quickPullMs(`pod-${i}/c/`);
      expect(ms).toBeGreaterThanOrEqual(200);
      expect(ms).toBeLessThanOrEqual(999);
    }
  });

  it('reports the image id as registry/repository@digest, without the tag', () => {
    const image: CatalogImage = {
      reference: {
        raw: 'nginx:1.13.11',
        registry: 'docker.io',
        repository: 'library/nginx',
        tag: '1.13.11',
        canonical: 'docker.io/library/nginx:1.13.11',
      },
      digest: `sha256:${'ab'.repeat(32)}`,
      sizeBytes: 1,
      pullMs: 0,
      entry: 'nginx',
    };
    expect(imageIdOf(image)).toBe(`docker.io/library/nginx@sha256:${'ab'.repeat(32)}`);
  });
});

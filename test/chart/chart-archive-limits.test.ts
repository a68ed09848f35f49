// The 105 MiB case lives in its own file, so that it runs in a process of its own and its
// peak memory can be measured.
import { describe, expect, it } from 'vitest';
import { MAX_CHART_FILE_SIZE } from '../../src/chart/chart.js';
import { readChartArchive } from '../../src/chart/chart-archive.js';
import { ArchiveError } from '../../src/internal/errors.js';
import { compressibleData, gzipParts, padding, tarHeader } from './tar-fixtures.js';

const MiB = 1024 * 1024;

describe('readChartArchive: 21 files of 5 MiB - 1 (105 MiB)', () => {
  it('is refused at the 100 MiB limit in under 2 s with bounded memory', async () => {
    const size = MAX_CHART_FILE_SIZE - 1;
    const body = compressibleData(size);
    function* parts(): Generator<Buffer> {
      for (let i = 0; i < 21; i++) {
        yield tarHeader({ path: `evil/files/f${i}.bin`, size });
        yield body;
        yield padding(size);
      }
      yield Buffer.alloc(1024);
    }
    const archive = await gzipParts(parts());
    expect(archive.length).toBeLessThan(4 * MiB); // ~100:1, well under the ratio limit

    const rssBefore = process.memoryUsage().rss;
    const peakBefore = process.resourceUsage().maxRSS * 1024;
    const started = performance.now();
    const err = await readChartArchive(archive, 'evil.tgz').then(
      () => undefined,
      (e: unknown) => e,
    );
    const elapsed = performance.now() - started;
    const peakGrowth = process.resourceUsage().maxRSS * 1024 - Math.max(peakBefore, rssBefore);

    expect(err).toBeInstanceOf(ArchiveError);
    expect((err as Error).message).toBe(
      'evil.tgz: decompressed chart is larger than the maximum size 104857600',
    );
    expect(elapsed).toBeLessThan(2000);
    // What was read before the limit (just under 100 MiB) is held; nothing like 105 MiB twice.
    expect(peakGrowth).toBeLessThan(180 * MiB);
    console.info(
      `105 MiB archive refused in ${elapsed.toFixed(0)} ms; peak RSS grew ${(peakGrowth / MiB).toFixed(0)} MiB`,
    );
  });
});

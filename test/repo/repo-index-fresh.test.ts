/**
 * The bundled repository `repo-index/` must be what `npm run repo-index` makes of `charts/`
 * now: this repackages every chart into a temporary directory and compares.
 */

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildChartRepository, REPRODUCIBLE_TIME } from '../../src/action/repo/repo-index.js';
import { indexDirectory, serializeIndex } from '../../src/repo/index-file.js';
import { tempDir } from '../helpers/chart-builder.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BUNDLED = path.join(ROOT, 'repo-index');
const HINT = 'repo-index/ is out of date with charts/: run `npm run repo-index`';

const withoutDigests = (text: string) => text.replace(/^( {4}digest: ).*$/gm, '$1…');

describe('repo-index/', () => {
  it('holds every chart of charts/, packaged as it is now', async () => {
    const fresh = await buildChartRepository(path.join(ROOT, 'charts'), tempDir('bosun-repo-index-'));
    const bundled = readdirSync(BUNDLED)
      .filter((f) => f.endsWith('.tgz'))
      .sort();
    expect(bundled, HINT).toEqual(fresh.archives);
    for (const archive of fresh.archives) {
      const mine = readFileSync(path.join(path.dirname(fresh.indexPath), archive));
      const committed = readFileSync(path.join(BUNDLED, archive));
      if (mine.equals(committed)) continue;
      // Another zlib may compress the same tar differently; the content must still be the same.
      expect(gunzipSync(committed).equals(gunzipSync(mine)), `${archive}: ${HINT}`).toBe(true);
    }
    const index = readFileSync(path.join(BUNDLED, 'index.yaml'), 'utf8');
    expect(withoutDigests(index), HINT).toBe(withoutDigests(readFileSync(fresh.indexPath, 'utf8')));
  });

  it('has an index.yaml that matches its archives (digests included)', async () => {
    const index = readFileSync(path.join(BUNDLED, 'index.yaml'), 'utf8');
    expect(index, HINT).toBe(serializeIndex(await indexDirectory(BUNDLED, { now: REPRODUCIBLE_TIME })));
    expect(index).toContain('created: "1970-01-01T00:00:00Z"');
    expect(index).toMatch(/^ {4}- dockercoins-\d+\.\d+\.\d+\.tgz$/m);
  });

  it('is byte-identical when built twice', async () => {
    const [a, b] = [tempDir('bosun-repo-index-'), tempDir('bosun-repo-index-')];
    await buildChartRepository(path.join(ROOT, 'charts'), a);
    await buildChartRepository(path.join(ROOT, 'charts'), b);
    for (const file of readdirSync(a)) {
      expect(readFileSync(path.join(a, file)).equals(readFileSync(path.join(b, file))), file).toBe(true);
    }
  });
});

/**
 * Rebuilds the bundled chart repository `repo-index/` (the preconfigured `stable` repository):
 * every chart directory under `charts/` packaged as `<name>-<version>.tgz`, archives no chart
 * produces any more removed, and `index.yaml` written with relative URLs. Run:
 * `npm run repo-index`.
 *
 * The output is reproducible: archives have fixed modification times and gzip headers, and the
 * index's `generated` and `created` times are the Unix epoch (`REPRODUCIBLE_TIME`), so the same
 * charts give the same bytes. `test/repo/repo-index-fresh.test.ts` fails when `repo-index/` is
 * out of date with `charts/`.
 */

import path from 'node:path';
import { buildChartRepository } from '../src/action/repo/repo-index.js';

const root = path.resolve(import.meta.dirname, '..');
const result = await buildChartRepository(path.join(root, 'charts'), path.join(root, 'repo-index'));
for (const archive of result.archives) console.log(`repo-index/${archive}`);
console.log(`repo-index/index.yaml: ${Object.keys(result.index.entries).length} chart(s)`);

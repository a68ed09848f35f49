/**
 * CRD rules (Helm's `rules/crds.go`): `crds/` is optional; when present it is a directory whose
 * YAML documents (of the chart and its subcharts) are plain, untemplated
 * CustomResourceDefinitions.
 */

import type { Chart, ChartFile } from '../../chart/chart.js';
import { isPlainObject } from '../../internal/objects.js';
import { decodeDocuments, Findings, type LintMessage, type LintTarget, objectHead } from './support.js';
import type { LoadedChart } from './target.js';

const CRDS_DIR = 'crds/';
const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];

/** The CRD files of a chart and, recursively, of its subcharts (Helm's `CRDObjects`). */
function crdFiles(chart: Chart): ChartFile[] {
  const own = chart.files.filter(
    (f) => f.name.startsWith(CRDS_DIR) && MANIFEST_EXTENSIONS.some((e) => f.name.endsWith(e)),
  );
  return [...own, ...chart.dependencies.flatMap(crdFiles)];
}

/**
 * Lints `crds/`: not a directory, a chart that does not load, a document that does not parse
 * (the rest of the files are then skipped), an apiVersion outside `apiextensions.k8s.io` or a
 * kind other than CustomResourceDefinition are ERRORs.
 */
export function lintCrds(target: LintTarget, loaded: LoadedChart): LintMessage[] {
  const f = new Findings();
  const entry = target.entry('crds');
  if (entry === undefined) return f.messages;
  if (!f.check('ERROR', CRDS_DIR, entry === 'directory' ? undefined : 'not a directory')) return f.messages;
  if ('error' in loaded) {
    f.check('ERROR', CRDS_DIR, loaded.error);
    return f.messages;
  }
  for (const file of crdFiles(loaded.chart)) {
    for (const doc of decodeDocuments(file.data.toString('utf8'), file.name)) {
      if (!doc.ok) {
        f.check('ERROR', file.name, `unable to parse YAML: ${doc.error}`);
        return f.messages;
      }
      if (!isPlainObject(doc.value)) continue;
      const head = objectHead(doc.value);
      f.check(
        'ERROR',
        file.name,
        head.apiVersion.startsWith('apiextensions.k8s.io')
          ? undefined
          : "apiVersion is not in 'apiextensions.k8s.io'",
      );
      f.check(
        'ERROR',
        file.name,
        head.kind === 'CustomResourceDefinition'
          ? undefined
          : "object kind is not 'CustomResourceDefinition'",
      );
    }
  }
  return f.messages;
}

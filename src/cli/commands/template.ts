/** `bosun template [NAME] CHART`. */

import path from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError } from '../../internal/errors.js';
import type { CliIO } from '../io.js';
import {
  addValuesFlags,
  collect,
  type ValuesFlags,
  valueOptionsFrom,
  valueSources,
} from '../values-flags.js';
import { addChartRefFlags, type ChartRefFlags, chartRefOptions } from './chart-ref-flags.js';

interface TemplateFlags extends ValuesFlags, ChartRefFlags {
  showOnly: string[];
  outputDir?: string;
  kubeVersion?: string;
  apiVersions: string[];
  includeCrds?: boolean;
  skipTests?: boolean;
  isUpgrade?: boolean;
  skipSchemaValidation?: boolean;
  generateName?: boolean;
  namespace?: string;
}

/** Registers `template`. */
export function registerTemplate(program: Command, io: CliIO): void {
  const cmd = program
    .command('template')
    .description('locally render templates')
    .argument('[name]', 'release name (default "release-name")')
    .argument('[chart]', 'chart directory, archive, REPO/NAME or URL');
  addChartRefFlags(addValuesFlags(cmd))
    .option('-n, --namespace <namespace>', 'namespace scope for this request')
    .option('-s, --show-only <path>', 'only show manifests rendered from the given templates', collect, [])
    .option('--output-dir <dir>', 'writes the executed templates to files in output-dir instead of stdout')
    .option('--kube-version <version>', 'Kubernetes version used for Capabilities.KubeVersion')
    .option(
      '-a, --api-versions <versions>',
      'Kubernetes api versions used for Capabilities.APIVersions',
      collect,
      [],
    )
    .option('--include-crds', 'include CRDs in the templated output')
    .option('--skip-tests', 'skip tests from templated output')
    .option('--is-upgrade', 'set .Release.IsUpgrade instead of .Release.IsInstall')
    .option('--skip-schema-validation', 'disable JSON schema validation')
    .option('-g, --generate-name', 'generate the name (and omit the NAME parameter)')
    .action(async (nameArg: string | undefined, chartArg: string | undefined, flags: TemplateFlags) => {
      let name = nameArg;
      let chart = chartArg;
      if (chart === undefined) {
        chart = name;
        name = undefined;
      }
      if (chart === undefined) throw new InvalidArgumentError('"bosun template" requires a chart argument');
      const namespace = flags.namespace ?? (program.opts()['namespace'] as string | undefined);
      const { TemplateAction, writeOutputDir } = await import('../../action/template.js');
      const action = new TemplateAction({
        ...(name !== undefined ? { releaseName: name } : {}),
        ...(namespace ? { namespace } : {}),
        cwd: io.cwd,
        ...(await chartRefOptions(io, chart, flags)),
        values: valueOptionsFrom(flags),
        valueSources: valueSources(io),
        ...(flags.kubeVersion ? { kubeVersion: flags.kubeVersion } : {}),
        apiVersions: flags.apiVersions.flatMap((v) => v.split(',')).filter(Boolean),
        showOnly: flags.showOnly,
        includeCrds: Boolean(flags.includeCrds),
        skipTests: Boolean(flags.skipTests),
        isUpgrade: Boolean(flags.isUpgrade),
        skipSchemaValidation: Boolean(flags.skipSchemaValidation),
      });
      const result = await action.run(chart);
      for (const w of result.rendered.warnings) io.stderr.write(`warning: ${w}\n`);
      if (flags.outputDir) {
        for (const file of await writeOutputDir(path.resolve(io.cwd, flags.outputDir), result.documents))
          io.stdout.write(`wrote ${file}\n`);
      } else {
        io.stdout.write(result.output);
      }
    });
}

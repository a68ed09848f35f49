/** `bosun lint [PATH...]`. */

import type { Command } from 'commander';
import type { LintResult } from '../../action/lint/index.js';
import { BosunError } from '../../internal/errors.js';
import type { CliIO } from '../io.js';
import { addValuesFlags, type ValuesFlags, valueOptionsFrom, valueSources } from '../values-flags.js';

interface LintFlags extends ValuesFlags {
  strict?: boolean;
  quiet?: boolean;
  withSubcharts?: boolean;
  kubeVersion?: string;
  skipSchemaValidation?: boolean;
}

/** What `lint` prints: `stdout`, and the failure summary (`error`) when a chart failed. */
export interface FormattedLint {
  readonly stdout: string;
  readonly error?: string;
}

/**
 * Formats a lint result in Helm's layout: `==> Linting <path>`, one `[SEVERITY] path: message`
 * line per finding and a blank line per chart, then `N chart(s) linted, M chart(s) failed` — on
 * stdout when nothing failed, as the error otherwise. With `quiet`, charts with only INFO
 * findings are left out, and so is the summary when no chart had a warning or an error.
 */
export function formatLintResult(result: LintResult, options: { quiet?: boolean } = {}): FormattedLint {
  let out = '';
  let withProblems = 0;
  for (const chart of result.charts) {
    const problems = chart.error !== undefined || chart.messages.some((m) => m.severity !== 'INFO');
    if (problems) withProblems++;
    if (options.quiet && !problems) continue;
    out += `==> Linting ${chart.path}\n`;
    if (chart.messages.length === 0 && chart.error !== undefined) out += `Error ${chart.error}\n`;
    for (const m of chart.messages) {
      if (!options.quiet || m.severity !== 'INFO') out += `[${m.severity}] ${m.path}: ${m.message}\n`;
    }
    out += '\n';
  }
  const summary = `${result.linted} chart(s) linted, ${result.failed} chart(s) failed`;
  if (result.failed > 0) return { stdout: out, error: summary };
  if (!options.quiet || withProblems > 0) out += `${summary}\n`;
  return { stdout: out };
}

/** Registers `lint`. */
export function registerLint(program: Command, io: CliIO): void {
  const cmd = program
    .command('lint')
    .description('examine a chart for possible issues')
    .argument('[path...]', 'chart directories or archives (default ".")');
  addValuesFlags(cmd)
    .option('--strict', 'fail on lint warnings')
    .option('--quiet', 'print only warnings and errors')
    .option('--with-subcharts', 'lint dependent charts')
    .option('--kube-version <version>', 'Kubernetes version used for capabilities and deprecation checks')
    .option('--skip-schema-validation', 'if set, disables JSON schema validation')
    .action(async (paths: string[], flags: LintFlags) => {
      const namespace = program.opts()['namespace'] as string | undefined;
      const action = new (await import('../../action/lint/index.js')).LintAction({
        strict: Boolean(flags.strict),
        quiet: Boolean(flags.quiet),
        withSubcharts: Boolean(flags.withSubcharts),
        skipSchemaValidation: Boolean(flags.skipSchemaValidation),
        values: valueOptionsFrom(flags),
        valueSources: valueSources(io),
        cwd: io.cwd,
        ...(flags.kubeVersion ? { kubeVersion: flags.kubeVersion } : {}),
        ...(namespace ? { namespace } : {}),
      });
      const formatted = formatLintResult(await action.run(paths), { quiet: Boolean(flags.quiet) });
      io.stdout.write(formatted.stdout);
      if (formatted.error !== undefined) throw new BosunError('LINT_FAILED', formatted.error);
    });
}

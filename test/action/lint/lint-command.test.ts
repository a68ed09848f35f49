import path from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import type { LintResult } from '../../../src/action/lint/index.js';
import { formatLintResult, registerLint } from '../../../src/cli/commands/lint.js';
import { errorLine, exitCodeFor } from '../../../src/cli/errors.js';
import { memoryIO } from '../../../src/cli/io.js';
import { buildProgram, run } from '../../../src/cli/main.js';
import { buildChart, CHART_YAML } from './lint-fixtures.js';

/**
 * Runs `bosun lint …` through the real entry once `lint` is wired into the command tree, and
 * through an equivalent program until then.
 */
async function bosunLint(args: string[], cwd: string) {
  const io = memoryIO({ cwd });
  if (buildProgram(memoryIO()).commands.some((c) => c.name() === 'lint')) {
    const code = await run(['lint', ...args], io);
    return { code, out: io.out(), err: io.err() };
  }
  const program = new Command('bosun')
    .option('-n, --namespace <namespace>')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: () => {},
    });
  registerLint(program, io);
  for (const cmd of program.commands) cmd.exitOverride();
  try {
    await program.parseAsync(['lint', ...args], { from: 'user' });
    return { code: 0, out: io.out(), err: io.err() };
  } catch (err) {
    io.stderr.write(`${errorLine(err, false)}\n`);
    return { code: exitCodeFor(err), out: io.out(), err: io.err() };
  }
}

const INFO = { severity: 'INFO', path: 'Chart.yaml', message: 'icon is recommended' } as const;
const WARNING = { severity: 'WARNING', path: 'templates/cm.yaml', message: 'something odd' } as const;
const ERROR = { severity: 'ERROR', path: 'templates/x.md', message: 'bad' } as const;

describe('formatLintResult', () => {
  it.each<[string, LintResult, boolean, string, string | undefined]>([
    [
      'a clean chart',
      { charts: [{ path: './mychart', messages: [INFO], failed: false }], linted: 1, failed: 0 },
      false,
      '==> Linting ./mychart\n[INFO] Chart.yaml: icon is recommended\n\n1 chart(s) linted, 0 chart(s) failed\n',
      undefined,
    ],
    [
      'a failed chart: the summary becomes the error',
      { charts: [{ path: '.', messages: [INFO, ERROR], failed: true }], linted: 1, failed: 1 },
      false,
      '==> Linting .\n[INFO] Chart.yaml: icon is recommended\n[ERROR] templates/x.md: bad\n\n',
      '1 chart(s) linted, 1 chart(s) failed',
    ],
    [
      'a path that is not a chart',
      {
        charts: [{ path: 'nope', messages: [], error: 'unable to check Chart.yaml', failed: true }],
        linted: 1,
        failed: 1,
      },
      false,
      '==> Linting nope\nError unable to check Chart.yaml\n\n',
      '1 chart(s) linted, 1 chart(s) failed',
    ],
    [
      'quiet prints nothing for clean charts',
      { charts: [{ path: 'a', messages: [INFO], failed: false }], linted: 1, failed: 0 },
      true,
      '',
      undefined,
    ],
    [
      'quiet prints charts with warnings, without INFO, and the summary',
      {
        charts: [
          { path: 'a', messages: [INFO], failed: false },
          { path: 'b', messages: [INFO, WARNING], failed: false },
        ],
        linted: 2,
        failed: 0,
      },
      true,
      '==> Linting b\n[WARNING] templates/cm.yaml: something odd\n\n2 chart(s) linted, 0 chart(s) failed\n',
      undefined,
    ],
  ])('%s', (_name, result, quiet, stdout, error) => {
    expect(formatLintResult(result, { quiet })).toEqual(error === undefined ? { stdout } : { stdout, error });
  });
});

describe('bosun lint', () => {
  it('prints Helm’s layout for a clean chart', async () => {
    const dir = buildChart();
    const r = await bosunLint(['./mychart'], path.dirname(dir));
    expect(r).toEqual({
      code: 0,
      out: '==> Linting ./mychart\n[INFO] Chart.yaml: icon is recommended\n\n1 chart(s) linted, 0 chart(s) failed\n',
      err: '',
    });
  });

  it('lints the current directory by default', async () => {
    const dir = buildChart();
    const r = await bosunLint([], dir);
    expect(r.out).toBe(
      '==> Linting .\n[INFO] Chart.yaml: icon is recommended\n\n1 chart(s) linted, 0 chart(s) failed\n',
    );
  });

  it('fails with the summary on stderr and a non-zero exit', async () => {
    const dir = buildChart({ templates: { 'notes.md': '' } });
    const r = await bosunLint(['mychart'], path.dirname(dir));
    expect(r.code).not.toBe(0);
    expect(r.out).toBe(
      "==> Linting mychart\n[INFO] Chart.yaml: icon is recommended\n[ERROR] templates/notes.md: file extension '.md' not valid. Valid extensions are .yaml, .yml, .tpl, or .txt\n\n",
    );
    expect(r.err).toBe('Error: 1 chart(s) linted, 1 chart(s) failed\n');
  });

  it.each<[string[], number]>([
    [[], 0],
    [['--strict'], 1],
  ])('a warning with %j exits %i', async (flags, code) => {
    const dir = buildChart({
      chartYaml: CHART_YAML.replace('0.1.0', '"1.0"'),
      templates: { 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n' },
    });
    const r = await bosunLint(['mychart', ...flags], path.dirname(dir));
    expect(r.out).toContain("[WARNING] Chart.yaml: version '1.0' is not a valid SemVerV2\n");
    expect(r.code === 0).toBe(code === 0);
    expect(r.err).toBe(code === 0 ? '' : 'Error: 1 chart(s) linted, 1 chart(s) failed\n');
  });

  it('passes values flags and --kube-version through', async () => {
    const dir = buildChart({
      templates: {
        'cm.yaml':
          'apiVersion: {{Values.api}}\nkind: CronJob\nmetadata:\n  name: job\nspec:\n  schedule: "@daily"\n',
      },
    });
    const r = await bosunLint(
      ['mychart', '--set', 'api=batch/v1beta1', '--kube-version', '1.22'],
      path.dirname(dir),
    );
    expect(r.out).toContain(
      '[WARNING] templates/cm.yaml: batch/v1beta1 CronJob is deprecated in v1.21+, unavailable in v1.25+; use batch/v1 CronJob\n',
    );
    expect(r.code).toBe(0);
  });

  it('--quiet prints only warnings and errors', async () => {
    const dir = buildChart();
    const r = await bosunLint(['mychart', '--quiet'], path.dirname(dir));
    expect(r).toEqual({ code: 0, out: '', err: '' });
  });
});

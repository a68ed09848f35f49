/**
 * Bad chart archives through the CLI (`bosun template` and `bosun show chart`): each one fails
 * with exit code 1, one `Error: …` line naming the archive and the entry or limit, nothing on
 * stdout, and the working directory left as it was.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_CHART_FILE_SIZE } from '../../src/chart/chart.js';
import { writeChartArchive } from '../../src/chart/chart-archive.js';
import { memoryIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import {
  compressibleData,
  type EntrySpec,
  gzipParts,
  padding,
  tarArchive,
  tarEntry,
  tarHeader,
  tgz,
} from '../chart/tar-fixtures.js';
import { snapshotTree, tempDir } from '../helpers/chart-builder.js';

const CHART_YAML: EntrySpec = {
  path: 'evil/Chart.yaml',
  data: 'apiVersion: v2\nname: evil\nversion: 0.1.0\n',
};
const TEMPLATE: EntrySpec = { path: 'evil/templates/cm.yaml', data: 'apiVersion: v1\nkind: ConfigMap\n' };
const GOOD = tgz(CHART_YAML, TEMPLATE);

/** 21 files of 5 MiB - 1: 105 MiB once decompressed, about 1 MiB compressed. */
async function over100MiB(): Promise<Buffer> {
  const size = MAX_CHART_FILE_SIZE - 1;
  const body = compressibleData(size);
  function* parts(): Generator<Buffer> {
    yield tarHeader(CHART_YAML);
    yield Buffer.from(CHART_YAML.data as string);
    yield padding((CHART_YAML.data as string).length);
    for (let i = 0; i < 21; i++) {
      yield tarHeader({ path: `evil/files/f${i}.bin`, size });
      yield body;
      yield padding(size);
    }
    yield Buffer.alloc(1024);
  }
  return gzipParts(parts());
}

interface Case {
  readonly label: string;
  /** Where the archive is written, relative to the working directory. */
  readonly file: string;
  readonly data: () => Buffer | Promise<Buffer>;
  /** The whole stderr line. */
  readonly error: string;
}

const cases: Case[] = [
  {
    label: 'an entry with ../',
    file: 'evil.tgz',
    data: () => tgz(CHART_YAML, { path: 'evil/../../pwned.txt', data: 'x' }),
    error: 'Error: evil.tgz: chart illegally references parent directory: "evil/../../pwned.txt"',
  },
  {
    label: 'an entry starting with ../',
    file: 'evil.tgz',
    data: () => tgz({ path: '../pwned.txt', data: 'x' }, CHART_YAML),
    error: 'Error: evil.tgz: chart illegally references parent directory: "../pwned.txt"',
  },
  {
    label: 'an entry with ..\\ (Windows separators)',
    file: 'evil.tgz',
    data: () => tgz(CHART_YAML, { path: 'evil\\..\\..\\pwned.txt', data: 'x' }),
    error: 'Error: evil.tgz: chart illegally references parent directory: "evil\\\\..\\\\..\\\\pwned.txt"',
  },
  {
    label: 'an absolute path',
    file: 'evil.tgz',
    data: () => tgz({ path: '/etc/pwned.txt', data: 'x' }, CHART_YAML),
    error: 'Error: evil.tgz: chart illegally contains absolute paths: "/etc/pwned.txt"',
  },
  {
    label: 'an absolute path below the chart directory',
    file: 'evil.tgz',
    data: () => tgz(CHART_YAML, { path: 'evil//etc/pwned', data: 'x' }),
    error: 'Error: evil.tgz: chart illegally contains absolute paths: "evil//etc/pwned"',
  },
  {
    label: 'a drive letter',
    file: 'evil.tgz',
    data: () => tgz(CHART_YAML, { path: 'evil/c:/x.yaml', data: 'x' }),
    error: 'Error: evil.tgz: chart contains illegally named files: "evil/c:/x.yaml"',
  },
  {
    label: 'a file outside the chart directory',
    file: 'evil.tgz',
    data: () => tgz({ path: 'Chart.yaml', data: 'apiVersion: v2\nname: evil\nversion: 0.1.0\n' }),
    error: 'Error: evil.tgz: chart illegally contains content outside the base directory: "Chart.yaml"',
  },
  {
    label: 'a symlink',
    file: 'evil.tgz',
    data: () =>
      tgz(CHART_YAML, { path: 'evil/templates/x.yaml', type: 'SymbolicLink', linkpath: '/etc/passwd' }),
    error: 'Error: evil.tgz: unsupported entry type SymbolicLink: "evil/templates/x.yaml"',
  },
  {
    label: 'a hard link',
    file: 'evil.tgz',
    data: () => tgz(CHART_YAML, { path: 'evil/templates/x.yaml', type: 'Link', linkpath: 'evil/Chart.yaml' }),
    error: 'Error: evil.tgz: unsupported entry type Link: "evil/templates/x.yaml"',
  },
  {
    label: 'a FIFO',
    file: 'evil.tgz',
    data: () => tgz(CHART_YAML, { path: 'evil/templates/x.yaml', type: 'FIFO' }),
    error: 'Error: evil.tgz: unsupported entry type FIFO: "evil/templates/x.yaml"',
  },
  {
    label: 'the same path twice',
    file: 'evil.tgz',
    data: () => tgz(CHART_YAML, { path: 'evil/a.txt', data: 'x' }, { path: 'evil/a.txt', data: 'y' }),
    error: 'Error: evil.tgz: duplicate entry "evil/a.txt"',
  },
  {
    label: 'a file over 5 MiB',
    file: 'evil.tgz',
    data: () =>
      tgz(CHART_YAML, { path: 'evil/files/big.bin', data: compressibleData(MAX_CHART_FILE_SIZE + 1) }),
    error:
      'Error: evil.tgz: decompressed chart file "evil/files/big.bin" is larger than the maximum file size 5242880',
  },
  {
    label: 'a file whose header claims over 5 MiB (refused before reading it)',
    file: 'evil.tgz',
    data: () =>
      gzipSync(Buffer.concat([tarEntry(CHART_YAML), tarHeader({ path: 'evil/x', size: 6 * 1024 * 1024 })])),
    error: 'Error: evil.tgz: decompressed chart file "evil/x" is larger than the maximum file size 5242880',
  },
  {
    label: 'over 100 MiB decompressed in total',
    file: 'evil.tgz',
    data: over100MiB,
    error: 'Error: evil.tgz: decompressed chart is larger than the maximum size 104857600',
  },
  {
    label: 'a plain tar',
    file: 'evil.tgz',
    data: () => tarArchive(CHART_YAML, TEMPLATE),
    error: 'Error: evil.tgz: not a gzipped archive (it is an uncompressed tar archive)',
  },
  {
    label: 'a values.yaml given as the chart',
    file: 'values.yaml',
    data: () => Buffer.from('replicas: 1\nimage:\n  tag: "1.0"\n'),
    error: 'Error: values.yaml: seems to be a YAML file, but expected a gzipped archive',
  },
  {
    label: 'YAML under an archive name',
    file: 'evil.tgz',
    data: () => Buffer.from('# values\nreplicas: 1\n'),
    error: 'Error: evil.tgz: seems to be a YAML file, but expected a gzipped archive',
  },
  {
    label: 'an empty file',
    file: 'evil.tgz',
    data: () => Buffer.alloc(0),
    error: 'Error: evil.tgz: not a gzipped archive (the file is empty)',
  },
  {
    label: 'an archive without entries',
    file: 'evil.tgz',
    data: () => gzipSync(Buffer.alloc(1024)),
    error: 'Error: evil.tgz: no files in chart archive',
  },
  {
    label: 'truncated gzip data',
    file: 'evil.tgz',
    data: () => GOOD.subarray(0, GOOD.length - 20),
    error: 'Error: evil.tgz: corrupt or truncated gzip data (zlib: unexpected end of file)',
  },
  {
    label: 'no Chart.yaml',
    file: 'evil.tgz',
    data: () => tgz(TEMPLATE),
    error: 'Error: evil.tgz: Chart.yaml file is missing',
  },
  {
    label: 'a path with directories (named as given)',
    file: 'in/a/dir/evil.tgz',
    data: () => tgz(CHART_YAML, { path: 'evil/templates/x.yaml', type: 'SymbolicLink', linkpath: '/' }),
    error: 'Error: in/a/dir/evil.tgz: unsupported entry type SymbolicLink: "evil/templates/x.yaml"',
  },
  {
    label: 'a bad subchart archive inside the archive',
    file: 'evil.tgz',
    data: () =>
      tgz(CHART_YAML, {
        path: 'evil/charts/bad-0.1.0.tgz',
        data: tgz(
          { path: 'bad/Chart.yaml', data: 'apiVersion: v2\nname: bad\nversion: 0.1.0\n' },
          { path: 'bad/../../pwned.txt', data: 'x' },
        ),
      }),
    error:
      'Error: evil.tgz/charts/bad-0.1.0.tgz: chart illegally references parent directory: "bad/../../pwned.txt"',
  },
];

const commands: [string, (file: string) => string[]][] = [
  ['template', (file) => ['template', 'r', file]],
  ['template --output-dir', (file) => ['template', 'r', file, '--output-dir', 'out']],
  ['show chart', (file) => ['show', 'chart', file]],
];

describe('bad chart archives through the CLI', () => {
  const archives = new Map<string, Buffer>();
  beforeAll(async () => {
    for (const c of cases) archives.set(c.label, await c.data());
  });

  const table = cases.flatMap((c) => commands.map(([name, argv]) => [c.label, name, c, argv] as const));
  it.each(table)('%s: %s', async (_label, _command, c, argv) => {
    const cwd = tempDir();
    const file = path.join(cwd, c.file);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, archives.get(c.label)!);
    const before = snapshotTree(cwd);

    const io = memoryIO({ cwd });
    const code = await run(argv(c.file), io);

    expect(io.err()).toBe(`${c.error}\n`);
    expect(code).toBe(1);
    expect(io.out()).toBe('');
    expect(snapshotTree(cwd)).toEqual(before);
  });

  it('the same commands succeed on a good archive', async () => {
    const cwd = tempDir();
    const files = [
      { name: 'Chart.yaml', data: Buffer.from(CHART_YAML.data as string) },
      {
        name: 'templates/cm.yaml',
        data: Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{Release.Name}}\n'),
      },
    ];
    writeFileSync(path.join(cwd, 'evil-0.1.0.tgz'), await writeChartArchive(files, 'evil'));
    const template = memoryIO({ cwd });
    expect(await run(['template', 'r', 'evil-0.1.0.tgz'], template)).toBe(0);
    expect(template.out()).toBe(
      '---\n# Source: evil/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: r\n',
    );
    const show = memoryIO({ cwd });
    expect(await run(['show', 'chart', 'evil-0.1.0.tgz'], show)).toBe(0);
    expect(show.out()).toBe('apiVersion: v2\nname: evil\nversion: 0.1.0\n');
    expect(template.err() + show.err()).toBe('');
  });
});

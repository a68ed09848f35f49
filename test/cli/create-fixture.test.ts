/**
 * test/fixtures/charts/mychart is the chart `bosun create mychart` makes, kept as a fixture:
 * it must stay identical to the scaffold and lint clean.
 */

import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scaffoldFiles } from '../../src/chart/create.js';
import { memoryIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';

const fixture = path.resolve(import.meta.dirname, '../fixtures/charts/mychart');

function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p, `${prefix}${name}/`) : [`${prefix}${name}`];
  });
}

describe('the create fixture', () => {
  it('is exactly what bosun create makes', () => {
    const expected = scaffoldFiles('mychart').filter((f) => !f.name.endsWith('/'));
    expect(filesUnder(fixture).sort()).toEqual(expected.map((f) => f.name).sort());
    for (const f of expected) expect(readFileSync(path.join(fixture, f.name), 'utf8')).toBe(f.content);
  });

  it('lints clean', async () => {
    const io = memoryIO({ cwd: path.dirname(fixture) });
    expect(await run(['lint', 'mychart', '--strict'], io)).toBe(0);
    expect(io.out()).toBe(
      '==> Linting mychart\n[INFO] Chart.yaml: icon is recommended\n\n1 chart(s) linted, 0 chart(s) failed\n',
    );
  });
});

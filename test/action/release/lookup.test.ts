/**
 * Helm's `lookup` during install and upgrade reads the live cluster (the usual use: keep a
 * generated password across upgrades); `--dry-run=client` and `template` see an empty map.
 */

import { describe, expect, it } from 'vitest';
import { InstallAction } from '../../../src/action/release/install.js';
import { UpgradeAction } from '../../../src/action/release/upgrade.js';
import { chartOf, useReleaseContext } from './write-fixtures.js';

const newContext = useReleaseContext();

/** A Secret whose password is kept from the live one when it exists, else generated. */
const secret = `apiVersion: v1
kind: Secret
metadata:
  name: pw
{{#with (lookup "v1" "Secret" Release.Namespace "pw")}}
data:
  password: {{data.password}}
{{else}}
data:
  password: {{b64enc (printf "generated-%d" Release.Revision)}}
{{/with}}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: seen
data:
  pods: "{{#with (lookup "v1" "Pod" "kube-system" "")}}{{len items}}{{else}}0{{/with}}"
  missing: "{{len (lookup "v1" "ConfigMap" Release.Namespace "nope")}}"
`;

const decode = (b64: unknown) => Buffer.from(String(b64), 'base64').toString('utf8');

describe('lookup in a release', () => {
  it('reads the cluster during install and upgrade, so a generated value survives upgrades', async () => {
    const ctx = newContext();
    const chart = await chartOf('demo', { 'templates/secret.yaml': secret });
    await new InstallAction(ctx).runWithChart('demo', chart);
    const first = (await ctx.client.get('secrets', 'default', 'pw')) as { data: Record<string, string> };
    expect(decode(first.data.password)).toBe('generated-1');
    const seen = (await ctx.client.get('configmaps', 'default', 'seen')) as { data: Record<string, string> };
    expect(Number(seen.data.pods)).toBeGreaterThan(0);
    expect(seen.data.missing).toBe('0');
    await new UpgradeAction(ctx).runWithChart('demo', chart);
    const after = (await ctx.client.get('secrets', 'default', 'pw')) as { data: Record<string, string> };
    expect(decode(after.data.password)).toBe('generated-1');
  });

  it('--dry-run=client renders without the cluster: lookup is an empty map', async () => {
    const ctx = newContext();
    const chart = await chartOf('demo', { 'templates/secret.yaml': secret });
    await new InstallAction(ctx).runWithChart('demo', chart);
    const { release } = await new UpgradeAction(ctx, { dryRun: 'client' }).runWithChart('demo', chart);
    expect(release.manifest).toContain(`password: ${Buffer.from('generated-2').toString('base64')}`);
    expect(release.manifest).toContain('pods: "0"');
  });
});

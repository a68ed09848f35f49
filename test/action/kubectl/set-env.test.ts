import { describe, expect, it } from 'vitest';
import { labelSelectorString } from '../../../src/action/kubectl/rollout-history.js';
import { parseEnv, splitEnvironment, updateEnv } from '../../../src/action/kubectl/set-env.js';

describe('set env argument parsing', () => {
  it('splits resources from variables, which must come last', () => {
    expect(splitEnvironment(['deployment/web', 'A=1', 'B-'])).toEqual({
      resources: ['deployment/web'],
      envArgs: ['A=1', 'B-'],
    });
    expect(() => splitEnvironment(['A=1', 'deployment/web'])).toThrow(
      'all resources must be specified before environment changes: A=1 deployment/web',
    );
  });

  it('reads KEY=VALUE and KEY-, refusing bad names and a variable both set and removed', () => {
    expect(parseEnv(['A=1=2', 'B-', 'my.env-name='])).toEqual({
      set: [
        { name: 'A', value: '1=2' },
        { name: 'my.env-name', value: '' },
      ],
      remove: ['B'],
    });
    expect(() => parseEnv(['1A=x'])).toThrow('"1A" is not a valid key name');
    expect(() => parseEnv(['A'])).toThrow('unknown environment variable: A');
    expect(() => parseEnv(['A=1', 'A-'])).toThrow(
      'can not both modify and remove the same environment variable',
    );
  });
});

describe('updateEnv', () => {
  it('changes variables in place, appends new ones and drops removed ones', () => {
    const existing = [
      { name: 'A', value: '1' },
      { name: 'B', value: '2' },
      { name: 'C', value: '3' },
    ];
    const next = updateEnv(
      existing,
      [
        { name: 'D', value: '4' },
        { name: 'B', value: 'two' },
      ],
      ['C'],
    );
    expect(next).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: 'two' },
      { name: 'D', value: '4' },
    ]);
  });
});

describe('labelSelectorString', () => {
  it('writes matchLabels sorted, then the expressions in order', () => {
    expect(
      labelSelectorString({
        matchLabels: { tier: 'web', app: 'shop' },
        matchExpressions: [
          { key: 'env', operator: 'In', values: ['a', 'b'] },
          { key: 'zone', operator: 'NotIn', values: ['x'] },
          { key: 'canary', operator: 'Exists' },
          { key: 'legacy', operator: 'DoesNotExist' },
        ],
      }),
    ).toBe('app=shop,tier=web,env in (a,b),zone notin (x),canary,!legacy');
    expect(labelSelectorString(undefined)).toBe('');
  });
});

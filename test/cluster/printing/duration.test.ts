import { describe, expect, it } from 'vitest';
import { age, humanDuration, shortHumanDuration } from '../../../src/cluster/printing/index.js';
import { ago, NOW } from './fixtures.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('humanDuration (AGE)', () => {
  it.each([
    [0, '0s'],
    [-1.5 * S, '0s'],
    [-2 * S, '<invalid>'],
    [5 * S, '5s'],
    [62 * S, '62s'],
    [119 * S, '119s'],
    [123 * S, '2m3s'],
    [5 * M + 10 * S, '5m10s'],
    [6 * M + 27 * S, '6m27s'],
    [9 * M, '9m'],
    [10 * M + 59 * S, '10m'],
    [45 * M, '45m'],
    [175 * M, '175m'],
    [3 * H + 2 * M, '3h2m'],
    [7 * H, '7h'],
    [10 * H + 30 * M, '10h'],
    [47 * H, '47h'],
    [2 * D + 5 * H, '2d5h'],
    [3 * D, '3d'],
    [9 * D, '9d'],
    [11 * D + 23 * H, '11d'],
    [400 * D, '400d'],
    [2 * 365 * D + 3 * D, '2y3d'],
    [3 * 365 * D, '3y'],
    [9 * 365 * D, '9y'],
  ])('%d ms prints %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });
});

describe('shortHumanDuration', () => {
  it.each([
    [59 * S, '59s'],
    [90 * M, '1h'],
    [5 * D, '5d'],
    [800 * D, '2y'],
    [-5 * S, '<invalid>'],
  ])('%d ms prints %s', (ms, text) => {
    expect(shortHumanDuration(ms)).toBe(text);
  });
});

describe('age of a timestamp', () => {
  it('is <unknown> without a timestamp', () => {
    expect(age(undefined, NOW)).toBe('<unknown>');
    expect(age('', NOW)).toBe('<unknown>');
  });

  it('is measured from now', () => {
    expect(age(ago(20 * 24 * 3600), NOW)).toBe('20d');
  });
});

import { describe, expect, it } from 'vitest';
import { TemplateFunctionError } from '../../../src/template/types.js';
import { run, table } from './helpers.js';

const NOW = new Date('2024-02-29T13:04:05.123Z');

type Case = [name: string, args: unknown[], expected: unknown];

const cases: Case[] = [
  ['now', [], NOW],
  ['date', ['2006-01-02', NOW], '2024-02-29'],
  ['date', ['15:04:05', NOW], '13:04:05'],
  ['date', ['Jan 2, 2006', NOW], 'Feb 29, 2024'],
  ['date', ['January _2 06', NOW], 'February 29 24'],
  ['date', ['2006-01-02T15:04:05Z07:00', NOW], '2024-02-29T13:04:05Z'],
  ['date', ['Monday, 02-Jan-06 15:04:05 MST', NOW], 'Thursday, 29-Feb-24 13:04:05 UTC'],
  ['date', ['Mon Jan _2 3:04PM', NOW], 'Thu Feb 29 1:04PM'],
  ['date', ['2006-01-02 15:04:05.000', NOW], '2024-02-29 13:04:05.123'],
  ['date', ['05.999999 .0000 -0700 002', NOW], '05.123 .1230 +0000 060'],
  ['date', ['2006-01-02', 0], '1970-01-01'],
  ['date', ['2006-01-02', 86400], '1970-01-02'],
  ['date', ['2006-01-02', 'not a time'], '2024-02-29'],
  ['dateInZone', ['2006-01-02 15:04 MST', NOW, 'UTC'], '2024-02-29 13:04 UTC'],
  ['dateInZone', ['15:04 -07:00', NOW, 'Asia/Kolkata'], '18:34 +05:30'],
  ['dateInZone', ['15:04 MST', NOW, 'America/New_York'], '08:04 EST'],
  ['dateInZone', ['15:04 Z07:00', NOW, 'Nowhere/Zone'], '13:04 Z'],
  ['date_in_zone', ['2006', NOW, 'UTC'], '2024'],
  ['htmlDate', [NOW], '2024-02-29'],
  ['htmlDateInZone', [NOW, 'Pacific/Kiritimati'], '2024-03-01'],
  ['toDate', ['2006-01-02', '2017-12-31'], new Date('2017-12-31T00:00:00Z')],
  ['toDate', ['2006-01-02T15:04:05Z07:00', '2020-05-06T07:08:09+02:00'], new Date('2020-05-06T05:08:09Z')],
  ['toDate', ['02/01/2006 15:04', '31/12/2019 23:59'], new Date('2019-12-31T23:59:00Z')],
  ['toDate', ['Jan 2 2006 3:04pm', 'feb 3 2021 4:05pm'], new Date('2021-02-03T16:05:00Z')],
  ['toDate', ['2006-01-02 15:04:05', '2021-01-02 03:04:05.25'], new Date('2021-01-02T03:04:05.250Z')],
  ['toDate', ['2006-01-02', 'bad'], new Date('0001-01-01T00:00:00Z')],
  ['toDate', ['2006-01-02', '2023-02-30'], new Date('0001-01-01T00:00:00Z')],
  ['unixEpoch', [NOW], '1709211845'],
  ['dateModify', ['1h30m', NOW], new Date('2024-02-29T14:34:05.123Z')],
  ['dateModify', ['-24h', NOW], new Date('2024-02-28T13:04:05.123Z')],
  ['dateModify', ['1.5s', NOW], new Date('2024-02-29T13:04:06.623Z')],
  ['dateModify', ['bogus', NOW], NOW],
  ['date_modify', ['10m', NOW], new Date('2024-02-29T13:14:05.123Z')],
  ['ago', [new Date('2024-02-29T12:01:02Z')], '1h3m3s'],
  ['ago', [NOW], '0s'],
  ['duration', [95], '1m35s'],
  ['duration', ['3600'], '1h0m0s'],
  ['duration', [0], '0s'],
  ['toString', [NOW], '2024-02-29 13:04:05.123 +0000 UTC'],
  ['toJson', [NOW], '"2024-02-29T13:04:05.123Z"'],
];

describe('date functions', () => {
  it.each(cases)('%s %j → %j', (name, args, expected) => {
    expect(run(name, args)).toStrictEqual(expected);
  });

  it('uses the injected clock', () => {
    const t = table({ now: () => new Date('2000-01-01T00:00:00Z') });
    expect(t.date!(['2006', 'x'], { hash: {} } as never)).toBe('2000');
  });

  it('toString of the zero time', () => {
    expect(run('toString', [run('toDate', ['2006', 'x'])])).toBe('0001-01-01 00:00:00 +0000 UTC');
  });

  it.each([
    ['mustToDate', ['2006-01-02', 'bad'], /parsing time "bad" as "2006-01-02": cannot parse "bad" as "2006"/],
    ['mustToDate', ['2006-01-02', '2023-02-30'], /day out of range/],
    ['mustDateModify', ['bogus', NOW], /invalid duration "bogus"/],
    ['unixEpoch', ['2024-01-01'], /expected time.Time/],
  ])('%s %j fails', (name, args, message) => {
    expect(() => run(name, args)).toThrow(TemplateFunctionError);
    expect(() => run(name, args)).toThrow(message);
  });
});

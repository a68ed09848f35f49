import { describe, expect, it } from 'vitest';
import { unescapeText } from '../../../src/cluster/images/commands/shared.js';
import { sleepMs } from '../../../src/cluster/images/commands.js';
import { COMMANDS } from '../../../src/cluster/images/shell.js';

describe('the commands entry', () => {
  it('registers every command family, in the order the families are imported', () => {
    // One command per family module; a family the entry forgets (or imports out of order)
    // breaks this sequence.
    const families = ['echo', 'sleep', 'cat', 'head', 'ping', 'curl', 'wget', 'nc', 'apk', 'python'];
    const order = [...COMMANDS.keys()];
    const positions = families.map((name) => order.indexOf(name));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it('re-exports sleepMs from the time family', () => {
    expect(sleepMs('1m')).toBe(60_000);
    expect(sleepMs('0.5')).toBe(500);
    expect(sleepMs('infinity')).toBe(Number.POSITIVE_INFINITY);
    expect(sleepMs('5x')).toBeUndefined();
  });
});

describe('unescapeText (echo -e, printf, curl -w)', () => {
  it('expands the C escapes, octal codes and drops \\c', () => {
    expect(unescapeText('a\\tb\\nc')).toBe('a\tb\nc');
    expect(unescapeText('\\0101\\0')).toBe('A\0');
    expect(unescapeText('\\e[1m\\a\\r\\\\')).toBe('\x1b[1m\x07\r\\');
    expect(unescapeText('stop\\chere')).toBe('stophere');
    expect(unescapeText('\\q stays')).toBe('\\q stays');
  });
});

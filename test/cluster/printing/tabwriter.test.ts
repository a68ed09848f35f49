import { describe, expect, it } from 'vitest';
import { alignTabs, DESCRIBE_TABWRITER, TABLE_TABWRITER } from '../../../src/cluster/printing/index.js';

describe("Go's tab writer", () => {
  it('pads each column to its widest cell plus 3, at least 6 (kubectl get)', () => {
    expect(alignTabs('NAME\tREADY\tAGE\nweb-1\t1/1\t5m\n', TABLE_TABWRITER)).toBe(
      'NAME    READY   AGE\nweb-1   1/1     5m\n',
    );
  });

  it('leaves the last cell of a line unpadded', () => {
    expect(alignTabs('A\tB\nlonger\tC\n', TABLE_TABWRITER)).toBe('A        B\nlonger   C\n');
  });

  it('aligns only consecutive lines that share a column (describe)', () => {
    const text = 'Name:\tweb\nNamespace:\tdefault\nContainers:\n  main:\n    Image:\tnginx\n';
    expect(alignTabs(text, DESCRIBE_TABWRITER)).toBe(
      'Name:       web\nNamespace:  default\nContainers:\n  main:\n    Image:  nginx\n',
    );
  });

  it('counts runes, not bytes', () => {
    expect(alignTabs('é\tx\nab\ty\n', { minWidth: 0, padding: 1 })).toBe('é  x\nab y\n');
  });
});

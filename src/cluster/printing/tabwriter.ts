/**
 * Go's `text/tabwriter` for the settings kubectl uses: cells are tab-terminated, the text after the
 * last tab of a line is not part of any column, a column block is a run of consecutive lines that
 * have a cell in that column, and each cell is padded with spaces to the block's widest cell plus
 * `padding` (at least `minWidth`). Widths count runes, as Go's does.
 */

/** Settings of one tab writer (Go's `tabwriter.NewWriter` arguments, space padding, no flags). */
export interface TabWriterOptions {
  /** Minimal cell width including padding. */
  readonly minWidth: number;
  /** Spaces added to the widest cell of a column. */
  readonly padding: number;
}

/** `kubectl get`'s tables (`printers.GetNewTabWriter`: minwidth 6, padding 3). */
export const TABLE_TABWRITER: TabWriterOptions = { minWidth: 6, padding: 3 };

/** `kubectl describe`'s layout (`tabwriter.NewWriter(out, 0, 8, 2, ' ', 0)`). */
export const DESCRIBE_TABWRITER: TabWriterOptions = { minWidth: 0, padding: 2 };

const width = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

/**
 * Aligns `text` (lines of tab-separated cells) as Go's tab writer does on `Flush`. A final line
 * without a newline is kept without one.
 */
export function alignTabs(text: string, options: TabWriterOptions): string {
  if (text === '') return '';
  const endsWithNewline = text.endsWith('\n');
  const lines = (endsWithNewline ? text.slice(0, -1) : text).split('\n').map((l) => l.split('\t'));
  const out: string[] = [];
  const widths: number[] = [];

  const writeLines = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      const cells = lines[i]!;
      let line = '';
      cells.forEach((cell, j) => {
        line += cell;
        // Every cell but the last is tab-terminated and padded to its column's width.
        if (j < widths.length && j < cells.length - 1)
          line += ' '.repeat(Math.max(0, widths[j]! - width(cell)));
      });
      out.push(line);
    }
  };

  const format = (line0: number, line1: number): void => {
    const column = widths.length;
    let start = line0;
    for (let cur = line0; cur < line1; cur++) {
      if (column >= lines[cur]!.length - 1) continue;
      // A column block starts here: print the lines before it, then size the block.
      writeLines(start, cur);
      start = cur;
      let w = options.minWidth;
      for (; cur < line1 && column < lines[cur]!.length - 1; cur++) {
        w = Math.max(w, width(lines[cur]![column]!) + options.padding);
      }
      widths.push(w);
      format(start, cur);
      widths.pop();
      start = cur;
      cur--;
    }
    writeLines(start, line1);
  };

  format(0, lines.length);
  return out.join('\n') + (endsWithNewline ? '\n' : '');
}

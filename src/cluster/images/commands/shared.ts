/**
 * What every command family uses: `define` (registration into the shell's command table),
 * the busybox/GNU switch, and the backslash escapes `echo -e`, `printf` and curl's `-w` share.
 */

import { COMMANDS, type CommandImpl, type Shell } from '../shell.js';

export const define = (names: string | readonly string[], impl: CommandImpl) => {
  for (const name of typeof names === 'string' ? [names] : names) COMMANDS.set(name, impl);
};

export const isBusybox = (shell: Shell) =>
  shell.run.image.os === 'alpine' || shell.run.image.os === 'busybox';

/** Expands backslash escapes (`\n`, `\t`, `\0NNN`, `\c`, ...) the way `echo -e` does. */
export function unescapeText(text: string): string {
  return text.replace(/\\(n|t|r|\\|e|a|0[0-7]*|c)/g, (_m, c: string) => {
    switch (c[0]) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case '\\':
        return '\\';
      case 'e':
        return '\x1b';
      case 'a':
        return '\x07';
      case 'c':
        return '';
      default:
        return String.fromCharCode(Number.parseInt(c.slice(1) || '0', 8));
    }
  });
}

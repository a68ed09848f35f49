/**
 * The values flags shared by template, lint, install and upgrade (`-f` and the `--set` family).
 */

import path from 'node:path';
import type { Command } from 'commander';
import { readUserFile } from '../internal/files.js';
import type { ValueOptions } from '../values/index.js';
import type { CliIO } from './io.js';

/** Appends a repeated flag's value to a list. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Adds `-f/--values`, `--set`, `--set-string`, `--set-json`, `--set-file`, `--set-literal`. */
export function addValuesFlags(cmd: Command): Command {
  return cmd
    .option('-f, --values <file>', 'specify values in a YAML file (can repeat; - reads stdin)', collect, [])
    .option(
      '--set <expr>',
      'set values on the command line (can repeat or separate values with commas: key1=val1,key2=val2)',
      collect,
      [],
    )
    .option('--set-string <expr>', 'set STRING values on the command line', collect, [])
    .option('--set-json <expr>', 'set JSON values on the command line', collect, [])
    .option('--set-file <expr>', 'set values from respective files (key=path)', collect, [])
    .option('--set-literal <expr>', 'set a literal STRING value on the command line', collect, []);
}

/** The parsed values flags of a command. */
export interface ValuesFlags {
  values: string[];
  set: string[];
  setString: string[];
  setJson: string[];
  setFile: string[];
  setLiteral: string[];
}

/** Turns parsed flags into `ValueOptions`. */
export function valueOptionsFrom(flags: ValuesFlags): ValueOptions {
  return {
    valueFiles: flags.values,
    set: flags.set,
    setString: flags.setString,
    setJson: flags.setJson,
    setFile: flags.setFile,
    setLiteral: flags.setLiteral,
  };
}

/** Reads `-f` and `--set-file` inputs relative to the CLI's working directory; `-` is stdin. */
export function valueSources(io: CliIO): { readFile(p: string): Promise<string> } {
  return {
    readFile: (p: string) => (p === '-' ? io.readStdin() : readUserFile(path.resolve(io.cwd, p), p)),
  };
}

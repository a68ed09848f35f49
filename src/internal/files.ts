/**
 * Bounded reads of user-named files (`-f`, `--set-file`): regular files only, never a FIFO or a
 * device (which could hang or never end), with a size cap.
 */

import { promises as fs } from 'node:fs';
import { IoError, LimitError } from './errors.js';

/** Largest values file or `--set-file` input read. */
export const MAX_USER_FILE_SIZE = 5 * 1024 * 1024;

/** Reads a regular file as UTF-8; `what` names the flag or role in errors. */
export async function readUserFile(
  path: string,
  what: string,
  maxBytes = MAX_USER_FILE_SIZE,
): Promise<string> {
  let stat: import('node:fs').Stats;
  try {
    stat = await fs.stat(path);
  } catch {
    throw new IoError(`${what}: no such file "${path}"`);
  }
  if (stat.isDirectory()) throw new IoError(`${what}: "${path}" is a directory, not a file`);
  if (!stat.isFile()) throw new IoError(`${what}: "${path}" is not a regular file`);
  if (stat.size > maxBytes) {
    throw new LimitError(`${what}: "${path}" is larger than the maximum size ${maxBytes} bytes`);
  }
  const data = await fs.readFile(path);
  if (data.length > maxBytes) {
    throw new LimitError(`${what}: "${path}" is larger than the maximum size ${maxBytes} bytes`);
  }
  return data.toString('utf8');
}

/**
 * The `file://` getter (Helm resolves `file://` only for dependencies; bosun also serves the
 * bundled `stable` repository this way): regular files only, never a FIFO or a device that could
 * hang or never end, read under the same byte cap and deadline as a download and hashed as read.
 */

import { constants, promises as fs } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { IoError, TimeoutError } from '../internal/errors.js';
import { checkDigest, collectBody, type FetchOptions, formatDeadline, tooLarge } from './getter-body.js';
import { DEFAULT_DEADLINE_MS, type Fetched, type Getter, MAX_CHART_BYTES } from './types.js';

/** The local path a `file:` URL or an absolute path names. */
export function filePathOf(url: string): string {
  if (!/^file:/i.test(url)) return url;
  try {
    return fileURLToPath(url);
  } catch (err) {
    throw new IoError(`invalid file URL ${JSON.stringify(url)}: ${(err as Error).message}`);
  }
}

/** Reads local files named by `file:` URLs or absolute paths. */
export class FileGetter implements Getter {
  async get(url: string, options: FetchOptions = {}): Promise<Fetched> {
    const maxBytes = options.maxBytes ?? MAX_CHART_BYTES;
    const deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
    const file = filePathOf(url);
    let handle: fs.FileHandle;
    try {
      // Non-blocking: opening a FIFO must not wait for a writer. Checked on the open handle, so a
      // path swapped after the check cannot slip through.
      handle = await fs.open(file, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new IoError(
        code === 'ENOENT' ? `failed to fetch ${url} : no such file` : `failed to fetch ${url} : ${code}`,
      );
    }
    let stat: import('node:fs').Stats;
    try {
      stat = await handle.stat();
    } catch (err) {
      await handle.close();
      throw new IoError(`failed to fetch ${url} : ${(err as Error).message}`);
    }
    const refuse = async (err: Error): Promise<never> => {
      await handle.close();
      throw err;
    };
    if (stat.isDirectory()) await refuse(new IoError(`failed to fetch ${url} : is a directory`));
    if (!stat.isFile()) await refuse(new IoError(`failed to fetch ${url} : not a regular file`));
    if (stat.size > maxBytes) await refuse(tooLarge(url, maxBytes));

    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), deadlineMs);
    const onOuterAbort = () => controller.abort();
    options.signal?.addEventListener('abort', onOuterAbort, { once: true });
    try {
      const fetched = await collectBody(handle.createReadStream(), {
        url,
        maxBytes,
        signal: controller.signal,
        abortReason: () =>
          options.signal?.aborted
            ? new IoError(`fetching ${url}: the download was cancelled`)
            : new TimeoutError(`fetching ${url}: deadline of ${formatDeadline(deadlineMs)} exceeded`),
        mapError: (err) => new IoError(`failed to fetch ${url} : ${(err as Error).message}`),
      });
      return checkDigest(fetched, options, url);
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onOuterAbort);
    }
  }
}

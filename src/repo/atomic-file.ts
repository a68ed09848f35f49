/**
 * Durable writes for the repository config and caches: a temporary file in the same directory,
 * fsync'd and renamed over the target, then the directory fsync'd, so a crash leaves either the
 * old file or the new one, never half of one. Helm's `fileutil.AtomicWriteFile` renames but
 * skips both fsyncs (security-and-faults §1.4).
 */

import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** Leftover temporary files older than this are swept (a crash between write and rename). */
const STALE_TEMP_MS = 10 * 60 * 1000;

/** Whether `name` is one of our temporary files (`.<target>.<pid>.<random>.tmp`) for `target`. */
function isTempName(name: string, target: string | undefined): boolean {
  return name.startsWith(target === undefined ? '.' : `.${target}.`) && name.endsWith('.tmp');
}

/** Fsyncs a directory so a rename in it is durable; some file systems refuse, which is fine. */
async function syncDir(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // Directories cannot be opened or fsync'd on every platform; the rename is still atomic.
  } finally {
    await handle?.close();
  }
}

/** Options of {@link writeFileAtomic}. */
export interface AtomicWriteOptions {
  /** File mode of the new file. @default 0o644 */
  readonly mode?: number;
}

/**
 * Writes `data` to `file` atomically (temp + fsync + rename + fsync of the directory), creating
 * the directory. The temporary file is removed when anything fails.
 */
export async function writeFileAtomic(
  file: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const dir = path.dirname(file);
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  // `wx`: never follow or reuse an existing path (a planted symlink, say).
  const handle = await fs.open(tmp, 'wx', options.mode ?? 0o644);
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
  await syncDir(dir);
}

/**
 * Removes temporary files a crashed writer left in `dir` (older than ten minutes); with
 * `target`, only those of that file name.
 */
export async function sweepTempFiles(dir: string, target?: string, now = Date.now()): Promise<void> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return;
  }
  for (const name of names.filter((n) => isTempName(n, target))) {
    const file = path.join(dir, name);
    try {
      const stat = await fs.lstat(file);
      if (stat.isFile() && now - stat.mtimeMs > STALE_TEMP_MS) await fs.rm(file, { force: true });
    } catch {
      // Gone already, or not ours to remove.
    }
  }
}

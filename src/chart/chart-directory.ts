/**
 * Reads the files of an unpacked chart directory, the way Helm's directory loader does
 * (`pkg/chart/v2/loader/directory.go`), with safer rules for links and special files.
 *
 * - `.helmignore` at the chart root (plus Helm's default `templates/.?*`) decides what is left
 *   out; an ignored directory is not descended into.
 * - Entries are `lstat`ed first: FIFOs, sockets and devices are refused without being opened,
 *   so a FIFO can never hang the reader. Files are opened with `O_NOFOLLOW | O_NONBLOCK` and
 *   checked again with `fstat`, so an entry swapped for a link or a FIFO meanwhile is refused too.
 * - Symbolic links are followed when their target stays inside the chart directory. A link that
 *   leaves it is refused unless `allowExternalSymlinks` is set (Helm follows it with an INFO
 *   log). Dangling links, link loops and directory links back to an ancestor are clean errors.
 *   A link that `.helmignore` ignores is skipped without being followed.
 * - Limits: 5 MiB per file, 100 MiB per chart, checked from `lstat` before anything is read
 *   and again on the bytes actually read.
 * - A leading UTF-8 BOM is removed from every file, as Helm does.
 */

import fs, { constants, type Stats } from 'node:fs';
import path from 'node:path';
import { type BosunError, ChartInvalidError, errorMessage, IoError, LimitError } from '../internal/errors.js';
import { type ChartFile, MAX_CHART_FILE_SIZE, MAX_CHART_SIZE } from './chart.js';
import { DEFAULT_IGNORE, HelmIgnore } from './helmignore.js';

/** Options for `readChartDirectory`. */
export interface ReadDirectoryOptions {
  /**
   * Follow symbolic links whose target is outside the chart directory (Helm's behaviour).
   * @default false
   */
  allowExternalSymlinks?: boolean;
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** A file found by the walk, to be read. */
interface FileTask {
  readonly rel: string;
  /** Its real path (no symbolic link in it). */
  readonly real: string;
}

/** The outcome of following a symbolic link: the target, or why it cannot be used. */
type LinkTarget = { real: string; stats: Stats } | { error: BosunError; stats?: Stats };

const fsCode = (err: unknown): string | undefined =>
  err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : undefined;

const irregular = (rel: string) =>
  new ChartInvalidError(`cannot load irregular file ${rel} as it has file mode type bits set`);
const fileTooLarge = (rel: string) =>
  new LimitError(`chart file "${rel}" is larger than the maximum file size ${MAX_CHART_FILE_SIZE}`);

/** Whether the real path `real` is `root` or below it. */
function isInside(root: string, real: string): boolean {
  const rel = path.relative(root, real);
  return rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

class DirectoryReader {
  private rules = HelmIgnore.parse(DEFAULT_IGNORE);
  private total = 0;
  private readonly tasks: FileTask[] = [];

  constructor(
    private readonly dir: string,
    private readonly root: string,
    private readonly options: ReadDirectoryOptions,
  ) {}

  read(): ChartFile[] {
    this.loadIgnoreRules();
    this.walk(this.root, '', new Set([this.root]));
    const files = this.readAll();
    return files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Reads the root `.helmignore`, if any, through the same checks as every other file. */
  private loadIgnoreRules(): void {
    const rel = '.helmignore';
    const abs = path.join(this.root, rel);
    let stats: Stats;
    try {
      stats = fs.lstatSync(abs);
    } catch (err) {
      if (fsCode(err) === 'ENOENT') return;
      throw new IoError(`cannot read ${rel}: ${errorMessage(err)}`, { cause: err });
    }
    let real = abs;
    if (stats.isSymbolicLink()) {
      const target = this.followLink(rel, abs);
      if ('error' in target) throw target.error;
      ({ real, stats } = target);
    }
    if (!stats.isFile()) throw irregular(rel);
    if (stats.size > MAX_CHART_FILE_SIZE) throw fileTooLarge(rel);
    const text = this.readFile({ rel, real }).toString('utf8');
    this.rules = HelmIgnore.parse(`${text}\n${DEFAULT_IGNORE}`, rel);
  }

  /** Resolves a symbolic link, checking that it is not dangling, a loop, or leaving the chart. */
  private followLink(rel: string, abs: string): LinkTarget {
    let real: string;
    try {
      real = fs.realpathSync(abs);
    } catch (err) {
      const code = fsCode(err);
      if (code === 'ENOENT') {
        return {
          error: new ChartInvalidError(`symbolic link "${rel}" is dangling (its target does not exist)`),
        };
      }
      if (code === 'ELOOP') return { error: new ChartInvalidError(`symbolic link "${rel}" is a link loop`) };
      return {
        error: new IoError(`cannot evaluate symbolic link "${rel}": ${errorMessage(err)}`, { cause: err }),
      };
    }
    let stats: Stats;
    try {
      stats = fs.statSync(real);
    } catch (err) {
      return {
        error: new IoError(`cannot evaluate symbolic link "${rel}": ${errorMessage(err)}`, { cause: err }),
      };
    }
    if (!this.options.allowExternalSymlinks && !isInside(this.root, real)) {
      return {
        error: new ChartInvalidError(
          `symbolic link "${rel}" points outside the chart directory (to ${real}); refusing to follow it`,
        ),
        stats,
      };
    }
    return { real, stats };
  }

  /** Depth-first walk; `ancestors` holds the real paths of the directories being walked. */
  private walk(realDir: string, relDir: string, ancestors: ReadonlySet<string>): void {
    let dirents: fs.Dirent[];
    try {
      dirents = fs.readdirSync(realDir, { withFileTypes: true });
    } catch (err) {
      throw new IoError(`cannot read directory "${relDir || this.dir}": ${errorMessage(err)}`, {
        cause: err,
      });
    }
    dirents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const entries: { name: string; real: string; stats?: Stats }[] = [];
    // `realDir` is a real path (normalized) and a name holds no separator: plain concatenation.
    const dirPrefix = realDir.endsWith(path.sep) ? realDir : realDir + path.sep;
    for (let k = 0; k < dirents.length; k++) {
      const dirent = dirents[k];
      const real = dirPrefix + dirent.name;
      if (dirent.isFile()) {
        // A regular file needs no lstat here: readFile opens it without following links and
        // checks its type and size on the open descriptor.
        entries.push({ name: dirent.name, real });
        continue;
      }
      try {
        entries.push({ name: dirent.name, real, stats: fs.lstatSync(real) });
      } catch (err) {
        throw new IoError(
          `cannot read chart file "${relDir ? `${relDir}/` : ''}${dirent.name}": ${errorMessage(err)}`,
          { cause: err },
        );
      }
    }
    for (let k = 0; k < entries.length; k++) {
      const entry = entries[k];
      const rel = relDir ? `${relDir}/${entry.name}` : entry.name;
      if (entry.stats === undefined) {
        if (!this.rules.ignores(rel, false)) this.tasks.push({ rel, real: entry.real });
        continue;
      }
      let { real, stats } = entry as { real: string; stats: Stats };
      if (stats.isSymbolicLink()) {
        const target = this.followLink(rel, real);
        if ('error' in target) {
          // An ignored link is never followed, so it cannot do harm: skip it quietly.
          const ignored = target.stats
            ? this.rules.ignores(rel, target.stats.isDirectory())
            : this.rules.ignores(rel, false) || this.rules.ignores(rel, true);
          if (ignored) continue;
          throw target.error;
        }
        ({ real, stats } = target);
      }
      if (stats.isDirectory()) {
        if (this.rules.ignores(rel, true)) continue;
        if (ancestors.has(real)) {
          throw new ChartInvalidError(
            `symbolic link "${rel}" is a link loop (it points to a parent directory)`,
          );
        }
        this.walk(real, rel, new Set([...ancestors, real]));
        continue;
      }
      if (this.rules.ignores(rel, false)) continue;
      if (!stats.isFile()) throw irregular(rel);
      if (stats.size > MAX_CHART_FILE_SIZE) throw fileTooLarge(rel);
      this.addToTotal(stats.size);
      this.tasks.push({ rel, real });
    }
  }

  private addToTotal(bytes: number): void {
    this.total += bytes;
    if (this.total > MAX_CHART_SIZE) {
      throw new LimitError(`chart directory ${this.dir} is larger than the maximum size ${MAX_CHART_SIZE}`);
    }
  }

  /** Reads every file found; the sizes are checked again on the bytes read. */
  private readAll(): ChartFile[] {
    this.total = 0;
    return this.tasks.map((task) => {
      const data = this.readFile(task);
      this.addToTotal(data.length);
      const bom =
        data.length >= 3 && data[0] === UTF8_BOM[0] && data[1] === UTF8_BOM[1] && data[2] === UTF8_BOM[2];
      return { name: task.rel, data: bom ? data.subarray(3) : data };
    });
  }

  /**
   * Reads one regular file, at most `MAX_CHART_FILE_SIZE` bytes, refusing anything else.
   * Synchronous on purpose: a chart is many small files, and sync reads cost a fraction of the
   * promise machinery around async ones.
   */
  private readFile({ rel, real }: FileTask): Buffer {
    let fd: number;
    try {
      fd = fs.openSync(real, OPEN_FLAGS);
    } catch (err) {
      if (fsCode(err) === 'ELOOP')
        throw new ChartInvalidError(`chart file "${rel}" changed while it was read`);
      throw new IoError(`cannot read chart file "${rel}": ${errorMessage(err)}`, { cause: err });
    }
    try {
      const stats = fs.fstatSync(fd);
      if (!stats.isFile()) throw irregular(rel);
      // One byte more than expected, to notice a file that grew since it was examined.
      let buffer = Buffer.allocUnsafe(Math.min(stats.size, MAX_CHART_FILE_SIZE) + 1);
      let length = 0;
      for (;;) {
        if (length === buffer.length) {
          if (length > MAX_CHART_FILE_SIZE) throw fileTooLarge(rel);
          const grown = Buffer.allocUnsafe(Math.min(length * 2, MAX_CHART_FILE_SIZE + 1));
          buffer.copy(grown, 0, 0, length);
          buffer = grown;
        }
        const wanted = buffer.length - length;
        const bytesRead = fs.readSync(fd, buffer, length, wanted, null);
        length += bytesRead;
        if (bytesRead === 0) break;
        // The whole file as `fstat` sized it, in a read that could have taken more: its end, with
        // no need for one more read to see 0 bytes.
        if (length === stats.size && bytesRead < wanted) break;
      }
      if (length > MAX_CHART_FILE_SIZE) throw fileTooLarge(rel);
      return buffer.subarray(0, length);
    } catch (err) {
      if (err instanceof ChartInvalidError || err instanceof LimitError) throw err;
      throw new IoError(`cannot read chart file "${rel}": ${errorMessage(err)}`, { cause: err });
    } finally {
      fs.closeSync(fd);
    }
  }
}

/**
 * Reads every file of a chart directory, honouring `.helmignore`, with Helm's size limits.
 *
 * @param dir - the chart directory (it may itself be a symbolic link).
 * @returns the files, named relative to `dir` with `/` separators, sorted by name.
 * @throws IoError `no such chart directory: <dir>` when `dir` does not exist, or when a file
 *   cannot be read; ChartInvalidError for an irregular file, a link leaving the chart, a
 *   dangling link or a loop, or a bad `.helmignore`; LimitError when a file is over 5 MiB or
 *   the chart over 100 MiB.
 */
export async function readChartDirectory(
  dir: string,
  options: ReadDirectoryOptions = {},
): Promise<ChartFile[]> {
  let root: string;
  try {
    root = fs.realpathSync(path.resolve(dir));
  } catch (err) {
    const code = fsCode(err);
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new IoError(`no such chart directory: ${dir}`);
    throw new IoError(`cannot read chart directory ${dir}: ${errorMessage(err)}`, { cause: err });
  }
  if (!fs.statSync(root).isDirectory()) throw new IoError(`not a chart directory: ${dir}`);
  return new DirectoryReader(dir, root, options).read();
}

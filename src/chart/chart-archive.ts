/**
 * Chart archives (`.tgz`): an in-memory reader with Helm's path rules and limits, and a writer
 * that produces what `helm package` does.
 *
 * Reading never touches the disk. The gzip'd tar is parsed by node-tar's `Parser` fed in small
 * slices, so decompression stops as soon as a limit is hit (memory stays bounded by what the
 * chart itself may hold). Compared with Helm (`pkg/chart/loader/archive/archive.go`), the reader
 * is stricter on purpose: link, FIFO and device entries, duplicate paths, several top-level
 * directories, any `..` segment, and a leading `/` or `..` in the first segment are errors, and
 * the decompression ratio is capped at 1000:1.
 */

import { setImmediate as nextTick } from 'node:timers/promises';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Parser, ReadEntry } from 'tar';

/** node-tar, loaded on first use: most commands read chart directories, not archives. */
type Tar = typeof import('tar');
let tarModule: Tar | undefined;
async function loadTar(): Promise<Tar> {
  tarModule ??= await import('tar');
  return tarModule;
}

import { ArchiveError } from '../internal/errors.js';
import { type ChartFile, MAX_CHART_FILE_SIZE, MAX_CHART_SIZE } from './chart.js';

/** The largest accepted ratio of decompressed to compressed bytes. */
export const MAX_DECOMPRESSION_RATIO = 1000;
/** Compressed bytes handed to the parser at a time (at most ~16 MiB of output per slice). */
const FEED_SLICE = 16 * 1024;
/** Give the event loop a turn after this many compressed bytes. */
const YIELD_EVERY = 1024 * 1024;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
/** Byte 9 of a gzip header: the OS. 255 ("unknown") as Go writes it, whatever our platform. */
const GZIP_OS_OFFSET = 9;
const GZIP_OS_UNKNOWN = 0xff;
const DRIVE_LETTER = /^[a-zA-Z]:/;
/** Entry types whose body is a regular file. */
const FILE_TYPES: ReadonlySet<string> = new Set(['File', 'OldFile', 'ContiguousFile']);

const gzipAsync = promisify(gzip);
const byName = (a: ChartFile, b: ChartFile) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** An entry path split into the chart's top directory and the file name below it. */
export interface EntryPath {
  readonly topDir: string;
  readonly name: string;
}

/**
 * Applies Helm's archive path rules to a raw entry path (backslashes count as `/`).
 * Returns the split path, or the reason it is refused. `name` is `''` for the top directory.
 */
export function splitEntryPath(raw: string, isDir: boolean): EntryPath | string {
  const segments = raw.replaceAll('\\', '/').split('/');
  const topDir = segments[0]!;
  const rest = segments.slice(1);
  const kept = rest.filter((s) => s !== '' && s !== '.');
  const quoted = JSON.stringify(raw);
  if (raw.includes('\0')) return `chart contains illegally named files: ${quoted}`;
  if (topDir === '' || (rest.length > 1 && rest[0] === '')) {
    return `chart illegally contains absolute paths: ${quoted}`;
  }
  if (topDir === '..' || rest.includes('..')) return `chart illegally references parent directory: ${quoted}`;
  if (DRIVE_LETTER.test(topDir) || kept.some((s) => DRIVE_LETTER.test(s))) {
    return `chart contains illegally named files: ${quoted}`;
  }
  if (topDir === '.' || (kept.length === 0 && !isDir)) {
    return `chart illegally contains content outside the base directory: ${quoted}`;
  }
  return { topDir, name: kept.join('/') };
}

/** Throws when `data` is not gzip, with a hint for the usual mistakes. */
export function assertGzip(data: Buffer, source: string): void {
  if (data[0] === 0x1f && data[1] === 0x8b) return;
  if (data.length === 0) throw new ArchiveError(`${source}: not a gzipped archive (the file is empty)`);
  if (looksLikeYaml(data, source)) {
    throw new ArchiveError(`${source}: seems to be a YAML file, but expected a gzipped archive`);
  }
  if (data.length >= 512 && data.subarray(257, 262).toString('latin1') === 'ustar') {
    throw new ArchiveError(`${source}: not a gzipped archive (it is an uncompressed tar archive)`);
  }
  throw new ArchiveError(`${source}: not a gzipped archive`);
}

/** A `.yaml`/`.yml` name (Helm's test), or text whose first line reads like YAML. */
function looksLikeYaml(data: Buffer, source: string): boolean {
  if (/\.ya?ml$/i.test(source)) return true;
  const head = data.subarray(0, 512);
  if (head.includes(0)) return false;
  const first = head
    .toString('utf8')
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line !== '' && !line.startsWith('#'));
  return first !== undefined && /^(---|%YAML|- |[^\s:{}[\]]+:(\s|$))/.test(first);
}

/** The state of one archive being read. */
class ArchiveReader {
  private readonly files: ChartFile[] = [];
  private readonly names = new Set<string>();
  private topDir: string | undefined;
  private total = 0;
  private entries = 0;
  /** The first error of ours; the parser is aborted when it is set. */
  private failure: ArchiveError | undefined;
  private stopped = false;
  private settled = false;
  private readonly parser: Parser;
  private readonly finished: Promise<void>;

  constructor(
    private readonly source: string,
    tar: Tar,
  ) {
    this.parser = new tar.Parser({
      strict: true,
      maxDecompressionRatio: MAX_DECOMPRESSION_RATIO,
      onReadEntry: (entry) => this.onEntry(entry),
    });
    this.parser.on('ignoredEntry', (entry: ReadEntry) => {
      this.entries++;
      this.unsupported(entry);
    });
    // The parser never emits `end` after an abort: settle on `error`/`abort` too.
    this.finished = new Promise<void>((resolve, reject) => {
      const onError = (err: unknown) => {
        this.stopped = true;
        this.settled = true;
        reject(this.failure ?? this.translate(err));
      };
      this.parser.on('error', onError);
      this.parser.on('abort', onError);
      this.parser.on('end', () => {
        this.settled = true;
        resolve();
      });
    });
    this.finished.catch(() => undefined); // observed again in `read`
  }

  async read(data: Buffer): Promise<{ topDir: string; files: ChartFile[] }> {
    for (let offset = 0; offset < data.length && !this.stopped; offset += FEED_SLICE) {
      this.parser.write(data.subarray(offset, offset + FEED_SLICE));
      if ((offset + FEED_SLICE) % YIELD_EVERY === 0) await nextTick();
    }
    if (!this.stopped) this.parser.end();
    // The parser works synchronously: one that has neither ended nor failed a turn later never will.
    if (!this.settled) await nextTick();
    if (!this.settled) {
      throw new ArchiveError(`${this.source}: the archive reader stopped before the end of the archive`);
    }
    await this.finished;
    if (this.files.length === 0 || this.topDir === undefined) {
      throw new ArchiveError(`${this.source}: no files in chart archive`);
    }
    return { topDir: this.topDir, files: this.files.sort(byName) };
  }

  /** Records the first error and stops the parser (and with it the decompression). */
  private fail(message: string): void {
    if (this.stopped) return;
    this.failure = new ArchiveError(`${this.source}: ${message}`);
    this.stopped = true;
    this.parser.abort(new Error(message));
  }

  private unsupported(entry: ReadEntry): void {
    this.fail(`unsupported entry type ${entry.type}: ${JSON.stringify(entry.path)}`);
  }

  private onEntry(entry: ReadEntry): void {
    this.entries++;
    const name = this.stopped ? undefined : this.admit(entry);
    if (name === undefined) {
      entry.resume(); // a directory, or the reader has stopped: drain it
      return;
    }
    const raw = entry.path;
    // The announced size is within the limits: read straight into a buffer of that size, so no
    // chunk outlives its turn (peak memory stays close to what the chart holds).
    const data = Buffer.allocUnsafe(entry.size);
    let size = 0;
    entry.on('data', (chunk: Buffer) => {
      if (this.stopped) return;
      // Counted on the bytes actually read, not only on the header.
      this.total += chunk.length;
      if (!this.checkSizes(raw, size + chunk.length, this.total)) return;
      if (size + chunk.length > data.length) {
        this.fail(`entry ${JSON.stringify(raw)} is longer than its header says`);
        return;
      }
      size += chunk.copy(data, size);
    });
    entry.on('end', () => {
      if (this.stopped) return;
      if (size !== data.length) {
        this.fail(`entry ${JSON.stringify(raw)} is truncated`); // never expose uninitialised bytes
        return;
      }
      this.files.push({ name, data: data.subarray(0, 3).equals(UTF8_BOM) ? data.subarray(3) : data });
    });
  }

  /**
   * Checks an entry's type, path and announced size. Returns the file name to read it under,
   * or `undefined` for a directory or a refused entry (the reader is then stopped).
   */
  private admit(entry: ReadEntry): string | undefined {
    const isDir = entry.type === 'Directory';
    const raw = entry.path;
    if (!isDir && !FILE_TYPES.has(entry.type)) {
      this.unsupported(entry);
      return undefined;
    }
    const split = splitEntryPath(raw, isDir);
    if (typeof split === 'string') {
      this.fail(split);
      return undefined;
    }
    if (this.topDir === undefined) this.topDir = split.topDir;
    else if (split.topDir !== this.topDir) {
      const [first, second] = [this.topDir, split.topDir].map((d) => JSON.stringify(d));
      this.fail(
        `chart archive has more than one top-level directory: ${first} and ${second} (${JSON.stringify(raw)})`,
      );
      return undefined;
    }
    if (isDir) return undefined;
    if (this.names.has(split.name)) {
      this.fail(`duplicate entry ${JSON.stringify(raw)}`);
      return undefined;
    }
    this.names.add(split.name);
    return this.checkSizes(raw, entry.size, this.total + entry.size) ? split.name : undefined;
  }

  /** Fails (and returns false) when a file of `fileSize` bytes or a chart of `chartSize` is too big. */
  private checkSizes(raw: string, fileSize: number, chartSize: number): boolean {
    if (chartSize > MAX_CHART_SIZE) {
      this.fail(`decompressed chart is larger than the maximum size ${MAX_CHART_SIZE}`);
    } else if (fileSize > MAX_CHART_FILE_SIZE) {
      this.fail(
        `decompressed chart file ${JSON.stringify(raw)} is larger than the maximum file size ${MAX_CHART_FILE_SIZE}`,
      );
    }
    return !this.stopped;
  }

  /** Turns a parser or zlib error into one clear line. */
  private translate(err: unknown): ArchiveError {
    const e: Error & { code?: unknown; tarCode?: unknown } =
      err instanceof Error ? err : new Error(String(err));
    const where = this.source;
    if (e.message.startsWith('max decompression ratio exceeded')) {
      return new ArchiveError(
        `${where}: decompresses to more than ${MAX_DECOMPRESSION_RATIO} times its size (suspected decompression bomb)`,
      );
    }
    if (typeof e.code === 'string' && e.code.startsWith('Z_')) {
      return new ArchiveError(`${where}: corrupt or truncated gzip data (${e.message})`);
    }
    if (e.tarCode === 'TAR_BAD_ARCHIVE' && this.entries === 0) {
      return new ArchiveError(`${where}: no files in chart archive`);
    }
    if (e.tarCode === 'TAR_BAD_ARCHIVE') {
      return new ArchiveError(`${where}: truncated or corrupt tar data (${e.message})`);
    }
    if (e.tarCode === 'TAR_ENTRY_INVALID') {
      return new ArchiveError(`${where}: not a valid tar archive inside the gzip data (${e.message})`);
    }
    return new ArchiveError(`${where}: cannot read chart archive: ${e.message}`);
  }
}

/**
 * Parses a gzipped chart archive in memory (nothing is written to disk).
 *
 * Helm's rules apply: the first path segment is the chart directory and is stripped; `..`,
 * absolute paths, drive letters and files outside the chart directory are refused; files over
 * 5 MiB or a chart over 100 MiB (counted on the bytes actually decompressed) are refused. Also
 * refused (stricter than Helm): links, FIFOs and devices, the same path twice, more than one
 * top-level directory, and a decompression ratio over 1000. Directory entries are skipped, and
 * a leading UTF-8 BOM is removed from every file, as Helm does.
 *
 * @param data - the archive bytes.
 * @param source - how the archive is named in errors.
 * @returns the top directory and the files, named relative to it and sorted by name.
 * @throws ArchiveError, one line naming `source` and the offending entry.
 */
export async function readChartArchive(
  data: Buffer,
  source: string,
): Promise<{ topDir: string; files: ChartFile[] }> {
  assertGzip(data, source);
  return new ArchiveReader(source, await loadTar()).read(data);
}

/** Options for `writeChartArchive`. */
export interface WriteArchiveOptions {
  /**
   * Modification time of every entry. Defaults to the Unix epoch, so that the same files give
   * the same bytes (Helm 4.1.4 uses each file's mtime; later Helm versions normalise it).
   * @default new Date(0)
   */
  mtime?: Date;
}

/**
 * Writes a chart archive the way `helm package` does: a gzip'd ustar with one entry
 * `<topDir>/<name>` per file (no directory entries), sorted by name, mode 0644, uid/gid 0, no
 * user or group names, a pax header only for paths ustar cannot hold, and a gzip header with no
 * file name, mtime 0 and OS "unknown", so the output is reproducible.
 *
 * @param files - the chart's files, named relative to the chart root with `/` separators.
 * @param topDir - the directory the files are put under (the chart name).
 * @throws ArchiveError when `topDir` or a file name is not a clean relative path that
 *   `readChartArchive` would accept, or when two files have the same name.
 */
export async function writeChartArchive(
  files: readonly ChartFile[],
  topDir: string,
  options: WriteArchiveOptions = {},
): Promise<Buffer> {
  const tar = await loadTar();
  const mtime = options.mtime ?? new Date(0);
  const sorted = [...files].sort(byName);
  const blocks: Buffer[] = [];
  let previous: string | undefined;
  for (const file of sorted) {
    const entryPath = `${topDir}/${file.name}`;
    const split = splitEntryPath(entryPath, false);
    if (typeof split === 'string' || split.topDir !== topDir || split.name !== file.name) {
      throw new ArchiveError(`cannot write chart archive: invalid file name ${JSON.stringify(entryPath)}`);
    }
    if (file.name === previous) {
      throw new ArchiveError(`cannot write chart archive: duplicate file ${JSON.stringify(entryPath)}`);
    }
    previous = file.name;
    const header = new tar.Header({
      path: entryPath,
      type: 'File',
      mode: 0o644,
      uid: 0,
      gid: 0,
      uname: '',
      gname: '',
      size: file.data.length,
      mtime,
    });
    const block = Buffer.alloc(512);
    if (header.encode(block)) blocks.push(new tar.Pax({ path: entryPath, mtime }).encode());
    blocks.push(block, file.data);
    const padding = (512 - (file.data.length % 512)) % 512;
    if (padding > 0) blocks.push(Buffer.alloc(padding));
  }
  blocks.push(Buffer.alloc(1024));
  const archive = await gzipAsync(Buffer.concat(blocks));
  archive[GZIP_OS_OFFSET] = GZIP_OS_UNKNOWN;
  return archive;
}

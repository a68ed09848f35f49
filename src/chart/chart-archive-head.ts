/**
 * Reads only the top-level `Chart.yaml` of a chart archive, for indexing repositories: the gzip
 * stream is inflated from its start just far enough to hold that file (a few KiB for any
 * chart packaged by Helm or bosun, which put it first or second), and the tar headers up to it are
 * parsed here, without node-tar, so indexing hundreds of archives costs little more than hashing
 * them.
 *
 * The entries read before `Chart.yaml` get the checks `readChartArchive` applies (types, path
 * rules, one top directory, no duplicates, size limits, the decompression ratio); the entries
 * after it are not read, so an archive this accepts can still be refused when it is installed.
 */

import { constants, gunzipSync } from 'node:zlib';
import { ArchiveError } from '../internal/errors.js';
import { MAX_CHART_FILE_SIZE, MAX_CHART_SIZE } from './chart.js';
import { assertGzip, type EntryPath, MAX_DECOMPRESSION_RATIO, splitEntryPath } from './chart-archive.js';

/** Compressed bytes inflated first; each further attempt inflates four times more. */
const FIRST_READ = 1024;
/** Bounds of zlib's output chunk size (see `inflate`). */
const OUTPUT_CHUNK_MIN = 4096;
const OUTPUT_CHUNK_MAX = 64 * 1024;
/** Largest pax or GNU long-name body accepted (node-tar's `maxMetaEntrySize`). */
const MAX_META_SIZE = 1024 * 1024;
const BLOCK = 512;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
/** Tar type flags and node-tar's names for them (used in messages). */
const TYPE_NAMES: Readonly<Record<string, string>> = {
  '0': 'File',
  '': 'OldFile',
  '1': 'Link',
  '2': 'SymbolicLink',
  '3': 'CharacterDevice',
  '4': 'BlockDevice',
  '5': 'Directory',
  '6': 'FIFO',
  '7': 'ContiguousFile',
  g: 'GlobalExtendedHeader',
  x: 'ExtendedHeader',
  X: 'OldExtendedHeader',
  L: 'NextFileHasLongPath',
  N: 'OldGnuLongPath',
  K: 'NextFileHasLongLinkpath',
};
const FILE_TYPES: ReadonlySet<string> = new Set(['0', '', '7']);
const META_TYPES: ReadonlySet<string> = new Set(['x', 'X', 'g', 'L', 'N', 'K']);

/** The top-level `Chart.yaml` of an archive. */
export interface ArchiveChartYaml {
  /** The archive's top directory (the chart name, for archives made by `package`). */
  readonly topDir: string;
  /** The file's bytes, a leading UTF-8 BOM removed. */
  readonly data: Buffer;
}

/** A NUL-terminated string field of a header. */
function field(buf: Buffer, off: number, size: number): string {
  const nul = buf.indexOf(0, off);
  return buf.toString('utf8', off, nul < 0 || nul > off + size ? off + size : nul);
}

/**
 * A numeric field: octal digits (after optional spaces, before a space or NUL), or base-256 when
 * the high bit is set. `undefined` when invalid. Read from the bytes: it runs for every header.
 */
function numberField(buf: Buffer, off: number, size: number): number | undefined {
  const end = off + size;
  if (buf[off]! & 0x80) {
    if (buf[off] === 0xff) return undefined; // negative
    let n = buf[off]! & 0x7f;
    for (let i = off + 1; i < end; i++) n = n * 256 + buf[i]!;
    return Number.isSafeInteger(n) ? n : undefined;
  }
  let i = off;
  while (i < end && buf[i] === 0x20) i++;
  let n = 0;
  for (; i < end; i++) {
    const c = buf[i]!;
    if (c < 0x30 || c > 0x37) break;
    n = n * 8 + (c - 0x30);
  }
  for (; i < end; i++) {
    const c = buf[i]!;
    if (c === 0) break;
    if (c !== 0x20) return undefined;
  }
  return n;
}

/** `ustar\0` and version `00` at offset 257: the POSIX format, whose prefix field extends names. */
function isUstar(buf: Buffer, off: number): boolean {
  const m = off + 257;
  return (
    buf[m] === 0x75 &&
    buf[m + 1] === 0x73 &&
    buf[m + 2] === 0x74 &&
    buf[m + 3] === 0x61 &&
    buf[m + 4] === 0x72 &&
    buf[m + 5] === 0 &&
    buf[m + 6] === 0x30 &&
    buf[m + 7] === 0x30
  );
}

function checksumValid(buf: Buffer, off: number): boolean {
  let sum = 8 * 0x20;
  for (let i = off; i < off + 148; i++) sum += buf[i]!;
  for (let i = off + 156; i < off + BLOCK; i++) sum += buf[i]!;
  return numberField(buf, off + 148, 8) === sum;
}

function isZeroBlock(buf: Buffer, off: number): boolean {
  for (let i = off; i < off + BLOCK; i++) if (buf[i] !== 0) return false;
  return true;
}

/** The `path` and `size` records of a pax header (node-tar's line-by-line reading). */
function paxRecords(body: Buffer): { path?: string; size?: number } {
  const out: { path?: string; size?: number } = {};
  for (const line of body.toString('utf8').replace(/\n$/, '').split('\n')) {
    const n = Number.parseInt(line, 10);
    if (n !== Buffer.byteLength(line) + 1) continue;
    const record = line.slice(`${n} `.length);
    const eq = record.indexOf('=');
    if (eq <= 0) continue;
    const key = record.slice(0, eq);
    const value = record.slice(eq + 1).replace(/\0.*/s, '');
    if (key === 'path') out.path = value;
    else if (key === 'size' && /^[0-9]+$/.test(value)) out.size = Number(value);
  }
  return out;
}

/**
 * Two or more segments of word characters, dots, `+` and `-`, none of them `.` or `..`, maybe
 * a trailing slash: a path `splitEntryPath` accepts as it is, whether a file or a directory.
 */
const PLAIN_ENTRY = /^(?!\.\.?\/)[\w.+-]+(?:\/(?!\.\.?(?:\/|$))[\w.+-]+)+\/?$/;

/** `splitEntryPath`'s answer for a plain path (most paths), found without its general checks. */
export function plainEntryPath(raw: string): EntryPath | undefined {
  if (!PLAIN_ENTRY.test(raw)) return undefined;
  const slash = raw.indexOf('/');
  return { topDir: raw.slice(0, slash), name: raw.slice(slash + 1, raw.endsWith('/') ? -1 : raw.length) };
}

/** Walks the tar headers of an inflated prefix. */
class HeaderWalk {
  private topDir: string | undefined;
  private readonly names = new Set<string>();
  private total = 0;
  private files = 0;

  constructor(private readonly source: string) {}

  private fail(message: string): never {
    throw new ArchiveError(`${this.source}: ${message}`);
  }

  /**
   * Returns Chart.yaml, or `undefined` when `tar` ends before it does and more may follow
   * (`complete` false). Throws when the archive is refused or has no top-level Chart.yaml.
   */
  run(tar: Buffer, complete: boolean): ArchiveChartYaml | undefined {
    let off = 0;
    let pending: { path?: string; size?: number } = {};
    let sawNull = false;
    for (;;) {
      if (off + BLOCK > tar.length) {
        if (complete) break;
        return undefined;
      }
      if (isZeroBlock(tar, off)) {
        if (sawNull) break;
        sawNull = true;
        off += BLOCK;
        continue;
      }
      sawNull = false;
      if (!checksumValid(tar, off))
        this.fail('not a valid tar archive inside the gzip data (TAR_ENTRY_INVALID: checksum failure)');
      const typeByte = tar[off + 156]!;
      let type = typeByte === 0 ? '' : String.fromCharCode(typeByte);
      if (!(type in TYPE_NAMES)) this.fail(`unsupported entry type ${JSON.stringify(type)}`);
      const meta = META_TYPES.has(type);
      let size = numberField(tar, off + 124, 12);
      if (!meta && pending.size !== undefined) size = pending.size;
      if (size === undefined) this.fail('not a valid tar archive inside the gzip data (invalid size)');
      let name = field(tar, off, 100);
      if (tar[off + 345] !== 0 && isUstar(tar, off)) {
        name = `${field(tar, off + 345, tar[off + 475] !== 0 ? 155 : 130)}/${name}`;
      }
      if (!meta && pending.path !== undefined) name = pending.path;
      if (type === '0' && name.endsWith('/')) type = '5';
      if (type === '5') size = 0;
      const body = off + BLOCK;
      const next = body + Math.ceil(size / BLOCK) * BLOCK;
      if (meta) {
        if (size > MAX_META_SIZE)
          this.fail(`unsupported entry type ${TYPE_NAMES[type]}: ${JSON.stringify(name)}`);
        if (body + size > tar.length) {
          if (complete) this.fail('truncated or corrupt tar data');
          return undefined;
        }
        const data = tar.subarray(body, body + size);
        if (type === 'x' || type === 'X') pending = { ...pending, ...paxRecords(data) };
        else if (type === 'L' || type === 'N') pending = { ...pending, path: field(data, 0, data.length) };
        off = next;
        continue;
      }
      pending = {};
      const found = this.entry(type, name, size, tar[off + 157] !== 0);
      if (found) {
        if (body + size > tar.length) {
          if (complete) this.fail(`entry ${JSON.stringify(name)} is truncated`);
          return undefined;
        }
        const data = tar.subarray(body, body + size);
        return { topDir: this.topDir!, data: data.subarray(0, 3).equals(UTF8_BOM) ? data.subarray(3) : data };
      }
      off = next;
    }
    if (this.files === 0) this.fail('no files in chart archive');
    return this.fail('Chart.yaml file is missing');
  }

  /** Checks one entry as `readChartArchive` does; true when it is the top-level Chart.yaml. */
  private entry(type: string, raw: string, size: number, hasLinkName: boolean): boolean {
    if (raw === '')
      this.fail('not a valid tar archive inside the gzip data (TAR_ENTRY_INVALID: path is required)');
    const isDir = type === '5';
    if (!isDir && !FILE_TYPES.has(type))
      this.fail(`unsupported entry type ${TYPE_NAMES[type]}: ${JSON.stringify(raw)}`);
    if (hasLinkName)
      this.fail('not a valid tar archive inside the gzip data (TAR_ENTRY_INVALID: linkpath forbidden)');
    const split = plainEntryPath(raw) ?? splitEntryPath(raw, isDir);
    if (typeof split === 'string') this.fail(split);
    if (this.topDir === undefined) this.topDir = split.topDir;
    else if (split.topDir !== this.topDir) {
      const [first, second] = [this.topDir, split.topDir].map((d) => JSON.stringify(d));
      this.fail(
        `chart archive has more than one top-level directory: ${first} and ${second} (${JSON.stringify(raw)})`,
      );
    }
    if (isDir) return false;
    this.files++;
    if (this.names.has(split.name)) this.fail(`duplicate entry ${JSON.stringify(raw)}`);
    this.names.add(split.name);
    this.total += size;
    if (this.total > MAX_CHART_SIZE)
      this.fail(`decompressed chart is larger than the maximum size ${MAX_CHART_SIZE}`);
    if (size > MAX_CHART_FILE_SIZE) {
      this.fail(
        `decompressed chart file ${JSON.stringify(raw)} is larger than the maximum file size ${MAX_CHART_FILE_SIZE}`,
      );
    }
    return split.name === 'Chart.yaml';
  }
}

/** Inflates the first `length` compressed bytes (all of them when `complete`). */
function inflate(data: Buffer, length: number, complete: boolean, source: string): Buffer {
  const ratioLimit = length * MAX_DECOMPRESSION_RATIO;
  // Tar framing (a header block per entry, padding) comes on top of the file bytes the walk counts.
  const sizeLimit = MAX_CHART_SIZE + 64 * 1024 * 1024;
  const limit = Math.min(ratioLimit, sizeLimit);
  try {
    return gunzipSync(data.subarray(0, length), {
      finishFlush: complete ? constants.Z_FINISH : constants.Z_SYNC_FLUSH,
      maxOutputLength: limit,
      // Output buffers about the size a slice usually inflates to: zlib's default (16 KiB) is
      // mostly unused for the first slice, and allocating it is a good part of a small read.
      chunkSize: Math.min(OUTPUT_CHUNK_MAX, Math.max(OUTPUT_CHUNK_MIN, length * 4)),
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
      if (ratioLimit <= sizeLimit) {
        throw new ArchiveError(
          `${source}: decompresses to more than ${MAX_DECOMPRESSION_RATIO} times its size (suspected decompression bomb)`,
        );
      }
      throw new ArchiveError(
        `${source}: decompressed chart is larger than the maximum size ${MAX_CHART_SIZE}`,
      );
    }
    throw new ArchiveError(`${source}: corrupt or truncated gzip data (${e.message})`, { cause: err });
  }
}

/**
 * Reads the top-level `Chart.yaml` of a gzipped chart archive, inflating no more of it than
 * needed (see the module comment for what is checked).
 *
 * @param data - the archive bytes.
 * @param source - how the archive is named in errors.
 * @throws ArchiveError, one line naming `source`: not gzip, corrupt, refused by the path or size
 *   rules, or no top-level `Chart.yaml` (`Chart.yaml file is missing`).
 */
export function readChartYamlFromArchive(data: Buffer, source: string): ArchiveChartYaml {
  assertGzip(data, source);
  const walk = (length: number, complete: boolean) =>
    new HeaderWalk(source).run(inflate(data, length, complete, source), complete);
  for (let length = Math.min(FIRST_READ, data.length); ; length = Math.min(length * 4, data.length)) {
    const complete = length >= data.length;
    const found = walk(length, complete);
    if (found) return found;
    if (complete) throw new ArchiveError(`${source}: Chart.yaml file is missing`);
  }
}

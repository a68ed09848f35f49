/**
 * Builders for hand-made (including malicious) tar and gzip fixtures. Headers are written with
 * node-tar's `Header`, which encodes whatever path, type and size it is given.
 */

import { createGzip, gzipSync } from 'node:zlib';
import { Header } from 'tar';

/** Tar entry types used by the fixtures. */
export type EntryType =
  | 'File'
  | 'Directory'
  | 'SymbolicLink'
  | 'Link'
  | 'FIFO'
  | 'CharacterDevice'
  | 'BlockDevice'
  | 'NextFileHasLongPath';

/** One tar entry to encode. */
export interface EntrySpec {
  readonly path: string;
  readonly data?: Buffer | string;
  readonly type?: EntryType;
  readonly linkpath?: string;
  /** The size written in the header; defaults to the data length. */
  readonly size?: number;
}

/** Zero bytes that pad `length` to a 512-byte block boundary. */
export const padding = (length: number): Buffer => Buffer.alloc((512 - (length % 512)) % 512);

/** The 512-byte header of an entry. */
export function tarHeader(spec: EntrySpec): Buffer {
  const data = typeof spec.data === 'string' ? Buffer.from(spec.data) : (spec.data ?? Buffer.alloc(0));
  const block = Buffer.alloc(512);
  new Header({
    path: spec.path,
    type: spec.type ?? 'File',
    mode: spec.type === 'Directory' ? 0o755 : 0o644,
    uid: 0,
    gid: 0,
    size: spec.size ?? data.length,
    mtime: new Date(0),
    ...(spec.linkpath !== undefined ? { linkpath: spec.linkpath } : {}),
  }).encode(block);
  return block;
}

/** A header followed by its data and padding. */
export function tarEntry(spec: EntrySpec): Buffer {
  const data = typeof spec.data === 'string' ? Buffer.from(spec.data) : (spec.data ?? Buffer.alloc(0));
  return Buffer.concat([tarHeader(spec), data, padding(data.length)]);
}

/** A complete tar stream: the entries and the two zero blocks that end it. */
export function tarArchive(...entries: readonly EntrySpec[]): Buffer {
  return Buffer.concat([...entries.map(tarEntry), Buffer.alloc(1024)]);
}

/** A gzipped tar of the entries. */
export function tgz(...entries: readonly EntrySpec[]): Buffer {
  return gzipSync(tarArchive(...entries));
}

/** Gzips a sequence of buffers as a stream, so a huge archive never exists uncompressed. */
export async function gzipParts(parts: Iterable<Buffer>, level = 6): Promise<Buffer> {
  const zip = createGzip({ level });
  const out: Buffer[] = [];
  zip.on('data', (chunk: Buffer) => out.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    zip.on('end', resolve);
    zip.on('error', reject);
  });
  for (const part of parts) {
    if (!zip.write(part)) await new Promise<void>((resolve) => zip.once('drain', () => resolve()));
  }
  zip.end();
  await ended;
  return Buffer.concat(out);
}

/**
 * `size` bytes that compress about 100:1: a pseudo-random 1 KiB block repeated, so limit tests
 * hit the size limits and not the decompression-ratio limit.
 */
export function compressibleData(size: number): Buffer {
  const block = Buffer.alloc(1024);
  let x = 0x9e3779b9;
  for (let i = 0; i < block.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    block[i] = x >>> 24;
  }
  const data = Buffer.alloc(size);
  for (let offset = 0; offset < size; offset += block.length) block.copy(data, offset);
  return data;
}

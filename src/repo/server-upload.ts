/**
 * The upload side of the repository server: chartmuseum's `POST /api/charts` with the archive as
 * the request body. The body is read under a byte cap and a total deadline, checked as a chart
 * (`readChartArchive`: Helm's path rules, size and ratio limits; `loadChartFiles`: a valid
 * Chart.yaml), and written as `<name>-<version>.tgz` without ever replacing a file: a hard link
 * from a temporary file, which fails when the name is taken, so two uploads of one version cannot
 * both win. chartmuseum answers an existing version with `409 {"error":"file already exists"}`,
 * and so does this.
 */

import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { readChartArchive } from '../chart/chart-archive.js';
import { loadChartFiles } from '../chart/loader.js';
import { errorMessage } from '../internal/errors.js';

/** Chart names an uploaded archive may have: they become file names. */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** An HTTP answer to an upload: status and JSON body. */
export interface UploadAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  /** The connection should be closed (the rest of the body was not read). */
  readonly close?: boolean;
  /** The file written, relative to the directory, on success. */
  readonly saved?: string;
}

/** Limits of one upload. */
export interface UploadLimits {
  readonly maxBytes: number;
  readonly deadlineMs: number;
}

const fail = (status: number, error: string, close = false): UploadAnswer => ({
  status,
  body: { error },
  ...(close ? { close: true } : {}),
});

/** Reads the request body under the byte cap and the deadline. */
function readBody(req: IncomingMessage, limits: UploadLimits): Promise<Buffer | UploadAnswer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (value: Buffer | UploadAnswer) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.off('data', onData);
      resolve(value);
    };
    const timer = setTimeout(() => {
      finish(fail(408, `upload not completed within ${limits.deadlineMs / 1000}s`, true));
    }, limits.deadlineMs);
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limits.maxBytes) {
        finish(fail(413, `chart archive is larger than the maximum size of ${limits.maxBytes} bytes`, true));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => finish(Buffer.concat(chunks)));
    req.on('error', (err) => finish(fail(400, `upload failed: ${err.message}`, true)));
    req.on('aborted', () => finish(fail(400, 'upload aborted by the client', true)));
  });
}

/** Writes `data` to `target` unless it exists: temporary file, then a hard link. */
async function writeNew(dir: string, target: string, data: Buffer): Promise<'saved' | 'exists'> {
  const tmp = path.join(
    dir,
    `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  const handle = await fs.open(tmp, 'wx', 0o644);
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await fs.link(tmp, target);
      return 'saved';
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return 'exists';
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV' && code !== 'ENOSYS') throw err;
    }
    // No hard links on this file system: check, then rename (uploads are serialised by the caller).
    if (await exists(target)) return 'exists';
    await fs.rename(tmp, target);
    return 'saved';
  } finally {
    await fs.rm(tmp, { force: true });
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.lstat(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * Handles one `POST /api/charts`: reads, checks and stores the archive in `dir`. `serialise`
 * runs the write step under the server's upload lock.
 */
export async function receiveUpload(
  req: IncomingMessage,
  dir: string,
  limits: UploadLimits,
  serialise: <T>(fn: () => Promise<T>) => Promise<T>,
): Promise<UploadAnswer> {
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith('multipart/')) {
    return fail(
      415,
      'send the chart archive as the request body (curl --data-binary @chart.tgz), not as a form',
      true,
    );
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limits.maxBytes) {
    return fail(413, `chart archive is larger than the maximum size of ${limits.maxBytes} bytes`, true);
  }
  const body = await readBody(req, limits);
  if (!Buffer.isBuffer(body)) return body;
  if (body.length === 0) return fail(400, 'no chart archive in the request body');
  let name: string;
  let version: string;
  try {
    const { files } = await readChartArchive(body, 'uploaded archive');
    const chart = await loadChartFiles(files, 'uploaded archive');
    name = chart.metadata.name;
    version = chart.metadata.version;
  } catch (err) {
    return fail(400, errorMessage(err));
  }
  if (!SAFE_NAME.test(name))
    return fail(400, `chart name ${JSON.stringify(name)} cannot be stored as a file name`);
  const file = `${name}-${version}.tgz`;
  const outcome = await serialise(() => writeNew(dir, path.join(dir, file), body));
  if (outcome === 'exists') return fail(409, 'file already exists');
  return { status: 201, body: { saved: true }, saved: file };
}

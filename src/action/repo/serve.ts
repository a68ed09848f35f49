/**
 * `repo serve [DIR]`: serves a directory of packaged charts as a chart repository (the read side
 * of chartmuseum, as Helm 2's `helm serve` did), with chartmuseum's upload API when `upload` is
 * set. Without DIR the bundled `repo-index/` is served, read-only: uploads need a DIR, given
 * explicitly, that the process can write.
 */

import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, IoError } from '../../internal/errors.js';
import { bundledRepoDir } from '../../repo/config.js';
import {
  DEFAULT_SERVE_ADDRESS,
  parseServeAddress,
  type RepoServer,
  startRepoServer,
} from '../../repo/server.js';

/** Options of {@link repoServe}. */
export interface RepoServeOptions {
  /** The directory to serve. @default the bundled repository */
  readonly dir?: string;
  /** Directory a relative `dir` is resolved against. */
  readonly cwd: string;
  /** `HOST:PORT`. @default DEFAULT_SERVE_ADDRESS */
  readonly address?: string;
  /** Accept `POST /api/charts`. */
  readonly upload?: boolean;
  /** Largest upload. @default MAX_CHART_BYTES */
  readonly maxUploadBytes?: number;
  /** Receives warnings (archives the index skips). */
  readonly warn?: (message: string) => void;
  /** Receives a line per chart uploaded. */
  readonly log?: (message: string) => void;
}

/** A running repository server and what it serves. */
export interface RepoServeResult extends RepoServer {
  /** The bundled repository is served (no DIR given). */
  readonly bundled: boolean;
  readonly upload: boolean;
}

/**
 * Starts serving; resolves once the server listens and the first index is built.
 *
 * @throws InvalidArgumentError for a bad address or `upload` without a DIR.
 * @throws IoError when the directory is missing, not writable for uploads, or the port is taken.
 */
export async function repoServe(options: RepoServeOptions): Promise<RepoServeResult> {
  const { host, port } = parseServeAddress(options.address ?? DEFAULT_SERVE_ADDRESS);
  const bundled = options.dir === undefined;
  const dir = bundled ? bundledRepoDir() : path.resolve(options.cwd, options.dir!);
  const upload = options.upload === true;
  if (upload && bundled) {
    throw new InvalidArgumentError('--upload needs a DIR: the bundled repository is served read-only');
  }
  const stat = await fs.stat(dir).catch(() => undefined);
  if (!stat) throw new IoError(`path "${options.dir ?? dir}" not found`);
  if (!stat.isDirectory()) throw new IoError(`"${options.dir ?? dir}" is not a directory`);
  if (upload) {
    try {
      await fs.access(dir, constants.W_OK);
    } catch {
      throw new IoError(`cannot accept uploads into "${options.dir ?? dir}": the directory is not writable`);
    }
  }
  const server = await startRepoServer(dir, {
    address: host,
    port,
    upload,
    ...(options.maxUploadBytes !== undefined ? { maxUploadBytes: options.maxUploadBytes } : {}),
    ...(options.warn ? { warn: options.warn } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  return { url: server.url, dir: server.dir, close: () => server.close(), bundled, upload };
}

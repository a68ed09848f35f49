/**
 * Reads what `-f` names, as kubectl does: files, directories (their `.json`, `.yaml` and `.yml`
 * files, sorted, not recursive), `-` for standard input, YAML streams with `---` between
 * documents (YAML 1.1, as Kubernetes reads them), and `kind: List` documents as their items.
 */

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { IoError } from '../../internal/errors.js';
import { readUserFile } from '../../internal/files.js';
import { parseYamlStream } from '../../internal/yaml.js';
import type { KubeObject } from '../../kube/index.js';
import { usageError } from './context.js';

/** One object of a manifest, with the file it came from (`-` for standard input). */
export interface Manifest {
  readonly source: string;
  readonly object: KubeObject;
}

/** Where manifests are read from. */
export interface ManifestSources {
  /** Directory relative `-f` paths are resolved against. */
  readonly cwd: string;
  /** Reads standard input (for `-f -`). */
  readonly readStdin: () => Promise<string>;
}

const MANIFEST_EXTENSIONS = new Set(['.json', '.yaml', '.yml']);

const isMap = (v: unknown): v is KubeObject => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The objects of one manifest text. Throws kubectl's `error parsing` / `error validating` errors. */
export function parseManifests(text: string, source: string): Manifest[] {
  let docs: unknown[];
  try {
    docs = parseYamlStream(text, source);
  } catch (error) {
    throw usageError(`error parsing ${source}: ${(error as Error).message}`);
  }
  const out: Manifest[] = [];
  for (const doc of docs) {
    if (doc === null) continue;
    if (!isMap(doc)) throw usageError(`error parsing ${source}: the document is not a map`);
    const missing = [
      ...(typeof doc.apiVersion === 'string' && doc.apiVersion !== '' ? [] : ['apiVersion not set']),
      ...(typeof doc.kind === 'string' && doc.kind !== '' ? [] : ['kind not set']),
    ];
    if (missing.length > 0) {
      const body = missing.length === 1 ? missing[0] : `[${missing.join(', ')}]`;
      throw usageError(
        `error validating ${JSON.stringify(source)}: error validating data: ${body}; if you choose to ignore these errors, turn validation off with --validate=false`,
      );
    }
    if (doc.kind === 'List' && Array.isArray(doc.items)) {
      for (const item of doc.items) if (isMap(item)) out.push({ source, object: item });
    } else {
      out.push({ source, object: doc });
    }
  }
  return out;
}

/** Reads every `-f` argument in order. */
export async function readManifests(
  filenames: readonly string[],
  sources: ManifestSources,
  verb = 'apply',
): Promise<Manifest[]> {
  if (filenames.length === 0) throw usageError('must specify one of -f and -k');
  const out: Manifest[] = [];
  for (const name of filenames) {
    if (name === '-') {
      out.push(...parseManifests(await sources.readStdin(), '-'));
      continue;
    }
    const full = path.resolve(sources.cwd, name);
    const stat = await fs.stat(full).catch(() => undefined);
    if (stat === undefined) throw usageError(`the path "${name}" does not exist`);
    if (stat.isDirectory()) {
      const entries = (await fs.readdir(full, { withFileTypes: true }))
        .filter((e) => e.isFile() && MANIFEST_EXTENSIONS.has(path.extname(e.name)))
        .map((e) => e.name)
        .sort();
      for (const entry of entries) {
        const file = path.join(name, entry);
        out.push(...parseManifests(await readUserFile(path.join(full, entry), file), file));
      }
    } else {
      try {
        out.push(...parseManifests(await readUserFile(full, name), name));
      } catch (error) {
        if (error instanceof IoError) throw usageError(error.message);
        throw error;
      }
    }
  }
  if (out.length === 0) throw usageError(`no objects passed to ${verb}`);
  return out;
}

/**
 * `kubectl edit KIND NAME`: the object written as YAML (or JSON) to a temporary file under
 * kubectl's header, the editor of `KUBE_EDITOR`/`EDITOR` (default `vi`) run on it, and the
 * result read back: unchanged → cancelled, changed → updated, invalid → the file kept.
 */

import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseJson, parseYaml, toYaml } from '../../internal/yaml.js';
import { type KubeObject, kindName } from '../../kube/index.js';
import { type KubectlOptions, resolveResource, usageError, type WriteResult } from './context.js';

/** The comment kubectl puts above the object. */
export const EDIT_HEADER = `# Please edit the object below. Lines beginning with a '#' will be ignored,
# and an empty file will abort the edit. If an error occurs while saving this file will be
# reopened with the relevant failures.
#
`;

/** Options of {@link EditAction}. */
export interface EditOptions extends KubectlOptions {
  /** The environment the editor is chosen from and run with (`KUBE_EDITOR`, `EDITOR`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** `-o json` edits JSON. @default 'yaml' */
  readonly format?: 'yaml' | 'json';
}

/** What `kubectl edit` did: its lines, a notice for stderr, and its errors. */
export interface EditResult extends WriteResult {
  /** `Edit cancelled, no changes made.` or where a failed edit was kept. */
  readonly notice?: string;
}

/** Runs `editor` on `file` through the shell (so `KUBE_EDITOR="code --wait"` works). */
function runEditor(
  editor: string,
  file: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<number> {
  const quoted = `'${file.replaceAll("'", `'\\''`)}'`;
  return new Promise((resolve, reject) => {
    const child = spawn(`${editor} ${quoted}`, { shell: true, stdio: 'inherit', env: { ...env } });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

const stripComments = (text: string): string =>
  text
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .join('\n');

/** `kubectl edit`. */
export class EditAction {
  constructor(private readonly options: EditOptions) {}

  /** Edits the object `args` name (`deploy web` or `deploy/web`). */
  async run(args: readonly string[]): Promise<EditResult> {
    const { client, namespace = 'default', env, format = 'yaml' } = this.options;
    let type = args[0] ?? '';
    let name = args[1];
    if (type.includes('/')) [type = '', name] = type.split('/');
    if (type === '' || name === undefined || name === '')
      throw usageError('you must specify the type of resource to edit and its name');
    const [kind] = await resolveResource(client, type);
    const original = await client.get(kind!, namespace, name);
    const body = format === 'json' ? `${JSON.stringify(original, null, 4)}\n` : `${toYaml(original)}\n`;
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kubectl-edit-'));
    const file = path.join(dir, `${kind!.plural}-${name}.${format === 'json' ? 'json' : 'yaml'}`);
    const written = `${EDIT_HEADER}${body}`;
    await fs.writeFile(file, written);
    const editor = env.KUBE_EDITOR || env.EDITOR || 'vi';
    const code = await runEditor(editor, file, env);
    if (code !== 0) throw usageError(`there was a problem with the editor "${editor}"`);
    const edited = await fs.readFile(file, 'utf8');
    const stripped = stripComments(edited);
    const done = async (result: EditResult): Promise<EditResult> => {
      await fs.rm(dir, { recursive: true, force: true });
      return result;
    };
    if (stripped.trim() === '')
      return done({ lines: [], errors: [], notice: 'Edit cancelled, saved file was empty.' });
    if (edited === written)
      return done({ lines: [], errors: [], notice: 'Edit cancelled, no changes made.' });
    const kept = `A copy of your changes has been stored to ${JSON.stringify(file)}`;
    let object: KubeObject;
    try {
      const parsed = format === 'json' ? parseJson(stripped, file) : parseYaml(stripped, file);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
        throw new Error('the edited file is not an object');
      object = parsed as KubeObject;
    } catch (error) {
      return {
        lines: [],
        errors: [usageError(`error parsing ${file}: ${(error as Error).message}`)],
        notice: kept,
      };
    }
    if (JSON.stringify(object) === JSON.stringify(original))
      return done({ lines: [], errors: [], notice: 'Edit cancelled, no changes made.' });
    try {
      await client.update(object, { fieldManager: 'kubectl-edit' });
    } catch (error) {
      return { lines: [], errors: [error as Error], notice: kept };
    }
    return done({ lines: [`${kindName(kind!)}/${name} edited`], errors: [] });
  }
}

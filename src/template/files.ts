/**
 * `.Files` and `.Capabilities.APIVersions.Has` as template functions.
 *
 * Templates receive plain data only, so the methods Helm hangs on those objects are functions
 * named by their Helm path: `{{Files.Get "config.ini"}}`,
 * `{{Files.AsConfig (Files.Glob "conf/*")}}`, `{{#if (Capabilities.APIVersions.Has "apps/v1")}}`.
 * They read the chart files of the template being rendered (`@root.Files`).
 */

import { isPlainObject, type PlainObject } from '../internal/objects.js';
import { toYaml } from '../internal/yaml.js';
import { type CallInfo, type FunctionTable, TemplateFunctionError } from './types.js';

function rootFiles(call: CallInfo): PlainObject {
  const root = call.root;
  if (isPlainObject(root) && isPlainObject(root['Files'])) return root['Files'];
  return {};
}

function fileMap(args: unknown[], call: CallInfo): PlainObject {
  const arg = args[0];
  if (arg === undefined) return rootFiles(call);
  if (!isPlainObject(arg)) throw new TemplateFunctionError(`${call.name}: expected a map of files`);
  return arg;
}

/** Converts a glob (gobwas style: `*` and `?` stay within a path segment, `**` crosses them) to a RegExp. */
export function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        re += '.*';
        i++;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        const body = pattern
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\');
        re += `[${body}]`;
        i = end;
      }
    } else if (c === '{') {
      const end = pattern.indexOf('}', i + 1);
      if (end < 0) re += '\\{';
      else {
        const alts = pattern
          .slice(i + 1, end)
          .split(',')
          .map((a) => a.replace(/[.+^$()|\\]/g, '\\$&').replace(/\*/g, '[^/]*'));
        re += `(?:${alts.join('|')})`;
        i = end;
      }
    } else re += c.replace(/[.+^$()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function baseName(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/** The `Files.*` functions and `Capabilities.APIVersions.Has`. */
export const filesFunctions: FunctionTable = {
  'Files.Get': (args, call) => {
    const v = rootFiles(call)[String(args[0])];
    return typeof v === 'string' ? v : '';
  },
  'Files.GetBytes': (args, call) => {
    const v = rootFiles(call)[String(args[0])];
    return typeof v === 'string' ? [...Buffer.from(v, 'utf8')] : [];
  },
  'Files.Glob': (args, call) => {
    const re = globToRegExp(String(args[0] ?? ''));
    const out: PlainObject = {};
    const files = rootFiles(call);
    for (const name of Object.keys(files).sort()) if (re.test(name)) out[name] = files[name];
    return out;
  },
  'Files.Lines': (args, call) => {
    const v = rootFiles(call)[String(args[0])];
    if (typeof v !== 'string' || v === '') return [];
    // Helm drops one final newline, so a text file does not end with an empty line.
    return (v.endsWith('\n') ? v.slice(0, -1) : v).split('\n');
  },
  'Files.AsConfig': (args, call) => {
    const files = fileMap(args, call);
    const m: PlainObject = {};
    for (const name of Object.keys(files)) m[baseName(name)] = String(files[name]);
    return Object.keys(m).length === 0 ? '' : toYaml(m);
  },
  'Files.AsSecrets': (args, call) => {
    const files = fileMap(args, call);
    const m: PlainObject = {};
    for (const name of Object.keys(files))
      m[baseName(name)] = Buffer.from(String(files[name])).toString('base64');
    return Object.keys(m).length === 0 ? '' : toYaml(m);
  },
  'Capabilities.APIVersions.Has': (args, call) => {
    const root = call.root;
    const caps = isPlainObject(root) && isPlainObject(root['Capabilities']) ? root['Capabilities'] : {};
    const list = Array.isArray(caps['APIVersions']) ? caps['APIVersions'] : [];
    return list.includes(String(args[0]));
  },
};

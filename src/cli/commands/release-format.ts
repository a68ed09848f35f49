/**
 * The formats the release commands print in, as Helm's: `-o` parsing, Go's `json.Encoder` output
 * (compact, HTML-safe escapes), `sigs.k8s.io/yaml` output, `gosuri/uitable` tables and stored
 * times in Go layouts.
 */

import { InvalidArgumentError } from '../../internal/errors.js';
import type { PlainObject } from '../../internal/objects.js';
import { toYaml } from '../../internal/yaml.js';
import { formatGoTime, UTC, type Zone, zeroTime } from '../../template/functions/go-time.js';

/** `-o`: Helm's three output formats. */
export type OutputFormat = 'table' | 'json' | 'yaml';

/** Parses `-o`, with Helm's error for anything else. */
export function parseOutputFormat(value: string | undefined): OutputFormat {
  const v = value ?? 'table';
  if (v === 'table' || v === 'json' || v === 'yaml') return v;
  throw new InvalidArgumentError(`invalid argument "${v}" for "-o, --output" flag: invalid format type`);
}

// ---------------------------------------------------------------------------------------------
// Encoders.

export function escapeGo(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `json.Marshal` of plain data: maps with sorted keys (byte order, as Go), HTML-safe escapes. */
export function goJson(value: unknown): string {
  const enc = (v: unknown): string => {
    if (v === null || v === undefined) return 'null';
    if (Array.isArray(v)) return `[${v.map(enc).join(',')}]`;
    if (typeof v === 'object') {
      const o = v as PlainObject;
      const keys = Object.keys(o)
        .filter((k) => o[k] !== undefined)
        .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
      return `{${keys.map((k) => `${JSON.stringify(k)}:${enc(o[k])}`).join(',')}}`;
    }
    if (typeof v === 'number' && !Number.isFinite(v)) return 'null';
    return JSON.stringify(v);
  };
  return escapeGo(enc(value));
}

/** A Go struct as JSON: fields in the given order, each already encoded; undefined ones left out. */
export function structJson(fields: readonly (readonly [string, string | undefined])[]): string {
  const parts = fields.filter(([, v]) => v !== undefined).map(([k, v]) => `${JSON.stringify(k)}:${v}`);
  return `{${parts.join(',')}}`;
}

/** `output.EncodeYAML`: `sigs.k8s.io/yaml` of the JSON form, with its trailing newline. */
export function yamlOf(value: unknown): string {
  return `${toYaml(value)}\n`;
}

/** Removes a top-level key from a JSON object text (keeping everything else byte for byte). */
export function dropTopLevelKey(json: string, key: string): string {
  const needle = `${JSON.stringify(key)}:`;
  let depth = 0;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (c === '"') {
      if (depth === 1 && json.startsWith(needle, i) && (json[i - 1] === '{' || json[i - 1] === ',')) {
        let j = i + needle.length;
        let d = 0;
        for (; j < json.length; j++) {
          const x = json[j];
          if (x === '"') j = skipString(json, j);
          else if (x === '{' || x === '[') d++;
          else if (x === '}' || x === ']') {
            if (d === 0) break;
            d--;
          } else if (x === ',' && d === 0) break;
        }
        const start = json[i - 1] === ',' ? i - 1 : i;
        const end = json[i - 1] === ',' || json[j] !== ',' ? j : j + 1;
        return json.slice(0, start) + json.slice(end);
      }
      i = skipString(json, i);
    } else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
  }
  return json;
}

/** The index of the closing quote of the JSON string opening at `i`. */
export function skipString(json: string, i: number): number {
  let j = i + 1;
  while (j < json.length && json[j] !== '"') j += json[j] === '\\' ? 2 : 1;
  return j;
}

// ---------------------------------------------------------------------------------------------
// Tables and times.

/**
 * A `gosuri/uitable` table as Helm prints it: every cell padded to its column's width and cells
 * separated by a tab (the last column is padded too), one row per line; an empty table is an
 * empty line, as `output.EncodeTable` writes it.
 */
export function uiTable(rows: readonly (readonly string[])[]): string {
  const width = (s: string) => [...s].length;
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, width(cell));
    });
  }
  const lines = rows.map((row) =>
    row.map((cell, i) => cell + ' '.repeat(widths[i]! - width(cell))).join('\t'),
  );
  return `${lines.join('\n')}\n`;
}

/** Go's `time.ANSIC` layout (`Fri Sep  2 22:04:05 1977`). */
export const ANSIC = 'Mon Jan _2 15:04:05 2006';

/** A stored RFC 3339 time and the zone it was written in (`Z` is UTC); Go's zero time when unset. */
export function storedTime(text: string | undefined): { date: Date; zone: Zone } {
  const date = new Date(text ?? '');
  if (text === undefined || Number.isNaN(date.getTime())) return { date: zeroTime(), zone: UTC };
  const m = /([+-])(\d\d):(\d\d)$/.exec(text);
  if (m === null) return { date, zone: UTC };
  const offset = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60);
  // Go names a zone it only knows by its offset with the offset itself (`+0200`).
  return { date, zone: { offset, name: '' } };
}

/** A stored time in a Go layout (`--time-format`, `ANSIC`…), in the zone it was written in. */
export function formatReleaseTime(text: string | undefined, layout: string): string {
  const { date, zone } = storedTime(text);
  return formatGoTime(date, layout, zone);
}

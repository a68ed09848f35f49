/**
 * `kubectl explain` over the vendored OpenAPI definitions of the built-in kinds: a kind or one of
 * its field paths, in kubectl's layout (`KIND:`, `VERSION:`, `FIELD:`/`RESOURCE:`,
 * `DESCRIPTION:`, `FIELDS:` with `<type>` and `-required-`), descriptions wrapped at 80 columns.
 */

import type { OpenApiSchema } from '../cluster/api/schema/nodes.js';
import {
  definitionIdFor,
  type OpenApiDescriptions,
  openApiDefinitions,
  openApiDescriptions,
} from '../cluster/api/schema/openapi.js';

/** A kind to explain: its group, version and kind. */
export interface ExplainKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

/** Options of {@link explainText}. */
export interface ExplainOptions {
  /** The field path below the kind (`['spec', 'replicas']`). @default [] */
  readonly path?: readonly string[];
  /** `--recursive`: every nested field's name and type, no descriptions. @default false */
  readonly recursive?: boolean;
}

const REF_PREFIX = '#/components/schemas/';

/** A schema with its `$ref` followed: the definition id (if any) and the schema itself. */
interface Resolved {
  readonly id?: string;
  readonly schema: OpenApiSchema;
}

function resolve(schema: OpenApiSchema): Resolved {
  const ref = schema.$ref;
  if (typeof ref === 'string' && ref.startsWith(REF_PREFIX)) {
    const id = ref.slice(REF_PREFIX.length);
    return { id, schema: openApiDefinitions()[id] ?? {} };
  }
  const all = schema.allOf;
  if (Array.isArray(all) && all.length === 1) return resolve(all[0] as OpenApiSchema);
  return { schema };
}

const properties = (schema: OpenApiSchema): Readonly<Record<string, OpenApiSchema>> =>
  (schema.properties as Readonly<Record<string, OpenApiSchema>> | undefined) ?? {};

/** kubectl's type name of a field: `<string>`, `<Object>`, `<[]Object>`, `<map[string]string>`. */
function typeName(schema: OpenApiSchema): string {
  const { id, schema: s } = resolve(schema);
  if (id === 'io.k8s.apimachinery.pkg.util.intstr.IntOrString') return 'string';
  if (id === 'io.k8s.apimachinery.pkg.api.resource.Quantity') return 'string';
  if (id === 'io.k8s.apimachinery.pkg.apis.meta.v1.Time') return 'string';
  if (s.type === 'array') return `[]${typeName((s.items as OpenApiSchema | undefined) ?? {})}`;
  if (s.type === 'object' && s.additionalProperties && typeof s.additionalProperties === 'object')
    return `map[string]${typeName(s.additionalProperties as OpenApiSchema)}`;
  if (s.type === 'object' || id !== undefined || s.properties !== undefined) return 'Object';
  return typeof s.type === 'string' ? s.type : 'Object';
}

/** The object schema below arrays and maps (where `FIELDS:` come from). */
function fieldsOf(schema: OpenApiSchema): Resolved {
  const r = resolve(schema);
  if (r.schema.type === 'array') return fieldsOf((r.schema.items as OpenApiSchema | undefined) ?? {});
  return r;
}

function wrap(text: string, indent: number): string {
  const width = 80 - indent;
  const pad = ' '.repeat(indent);
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/ +/)) {
      if (line !== '' && line.length + 1 + word.length > width) {
        out.push(line);
        line = word;
      } else line = line === '' ? word : `${line} ${word}`;
    }
    out.push(line);
  }
  return out.map((l) => (l === '' ? '' : `${pad}${l}`)).join('\n');
}

function fieldLines(
  owner: Resolved,
  descriptions: OpenApiDescriptions,
  recursive: boolean,
  indent: number,
  seen: readonly string[],
): string {
  const required = new Set((owner.schema.required as readonly string[] | undefined) ?? []);
  const pad = ' '.repeat(indent);
  let text = '';
  for (const [name, child] of Object.entries(properties(owner.schema)).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  )) {
    const req = required.has(name) ? ' -required-' : '';
    text += `${pad}${name}\t<${typeName(child)}>${req}\n`;
    if (recursive) {
      const nested = fieldsOf(child);
      if (nested.id !== undefined && !seen.includes(nested.id))
        text += fieldLines(nested, descriptions, true, indent + 3, [...seen, nested.id]);
    } else {
      const description = owner.id === undefined ? '' : (descriptions[owner.id]?.[name] ?? '');
      text += `${description === '' ? '' : `${wrap(description, indent + 2)}\n`}\n`;
    }
  }
  return text;
}

/** Thrown when a field path names no field (`field "foo" does not exist`). */
export class ExplainFieldError extends Error {}

/**
 * The text `kubectl explain` prints for a kind (or a field path below it); undefined when the
 * kind has no definition.
 */
export async function explainText(
  kind: ExplainKind,
  options: ExplainOptions = {},
): Promise<string | undefined> {
  const rootId = definitionIdFor(kind.group, kind.version, kind.kind);
  if (rootId === undefined) return undefined;
  const descriptions = await openApiDescriptions();
  const path = options.path ?? [];
  let current: Resolved = { id: rootId, schema: openApiDefinitions()[rootId] ?? {} };
  let field: OpenApiSchema | undefined;
  let description = descriptions[rootId]?.[''] ?? '';
  for (const name of path) {
    const owner = fieldsOf(field ?? { $ref: `${REF_PREFIX}${current.id}` });
    const child = properties(owner.schema)[name];
    if (child === undefined) throw new ExplainFieldError(`field "${name}" does not exist`);
    description = (owner.id === undefined ? undefined : descriptions[owner.id]?.[name]) ?? '';
    field = child;
    current = fieldsOf(child);
  }
  const version = kind.group === '' ? kind.version : `${kind.group}/${kind.version}`;
  let text = `KIND:     ${kind.kind}\nVERSION:  ${version}\n\n`;
  if (field !== undefined) {
    const type = typeName(field);
    const label = type === 'Object' || type === '[]Object' ? 'RESOURCE' : 'FIELD';
    text += `${label}: ${' '.repeat(8 - label.length)}${path[path.length - 1]} <${type}>\n\n`;
  }
  text += `DESCRIPTION:\n${wrap(description || '<empty>', 5)}\n`;
  if (field !== undefined && current.id !== undefined) {
    const own = descriptions[current.id]?.[''];
    if (own) text += `\n${wrap(own, 5)}\n`;
  }
  if (Object.keys(properties(current.schema)).length > 0) {
    const seen = current.id === undefined ? [] : [current.id];
    text += `\nFIELDS:\n${fieldLines(current, descriptions, Boolean(options.recursive), 3, seen)}`;
  }
  return text.endsWith('\n\n') ? text : `${text}\n`;
}

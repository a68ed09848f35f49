/**
 * Regenerates `src/cluster/api/schema/openapi/*.json` from the `kubernetes-models` package
 * (devDependency; generated from Kubernetes' own OpenAPI documents, current and removed
 * versions). Run: `npx tsx scripts/generate-openapi.ts`.
 *
 * The package ships TypeScript declarations (properties, optionality, enums, references,
 * descriptions) and compiled validators (integer formats and string formats). This reads the
 * declarations with the TypeScript compiler and probes the validators with bad values to learn
 * what the declarations lose (`int32` vs `int64` vs `double`, `byte`, `date-time`), then writes
 * OpenAPI v3 `components.schemas`-shaped definitions, ids as upstream spells them
 * (`io.k8s.api.apps.v1.DeploymentSpec`).
 */

import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = { [key: string]: Json };

const require = createRequire(import.meta.url);
const MODELS = path.dirname(require.resolve('kubernetes-models/package.json'));
const MACHINERY = path.join(MODELS, '..', '@kubernetes-models', 'apimachinery');
const OUT = path.resolve(import.meta.dirname, '../src/cluster/api/schema/openapi');
const VERSION = (JSON.parse(readFileSync(path.join(MODELS, 'package.json'), 'utf8')) as { version: string })
  .version;

/** Group-versions left out: not served and never converted from. */
const SKIPPED_DIRS = ['flowcontrol.apiserver.k8s.io', 'resource.k8s.io', 'apiregistration.k8s.io/v1beta1'];

/** `IoK8sApiAppsV1DeploymentSpec` → `io.k8s.api.apps.v1.DeploymentSpec`. */
function idOf(alias: string): string {
  const prefixes: [string, string][] = [
    ['IoK8sApimachineryPkgApisMetaV1', 'io.k8s.apimachinery.pkg.apis.meta.v1.'],
    ['IoK8sApimachineryPkgApiResource', 'io.k8s.apimachinery.pkg.api.resource.'],
    ['IoK8sApimachineryPkgUtilIntstr', 'io.k8s.apimachinery.pkg.util.intstr.'],
    ['IoK8sApimachineryPkgRuntime', 'io.k8s.apimachinery.pkg.runtime.'],
    ['IoK8sApimachineryPkgVersion', 'io.k8s.apimachinery.pkg.version.'],
    ['IoK8sKubeAggregatorPkgApisApiregistrationV1', 'io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.'],
  ];
  for (const [camel, dotted] of prefixes)
    if (alias.startsWith(camel)) return dotted + alias.slice(camel.length);
  const ext = /^IoK8sApiextensionsApiserverPkgApisApiextensions(V\d+(?:(?:alpha|beta)\d+)?)(.+)$/.exec(alias);
  if (ext) return `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${ext[1]!.toLowerCase()}.${ext[2]}`;
  const api = /^IoK8sApi([A-Z][a-z]+)(V\d+(?:(?:alpha|beta)\d+)?)(.+)$/.exec(alias);
  if (api) return `io.k8s.api.${api[1]!.toLowerCase()}.${api[2]!.toLowerCase()}.${api[3]}`;
  throw new Error(`unknown alias ${alias}`);
}

interface Parsed {
  readonly id: string;
  readonly alias: string;
  readonly file: string;
  readonly schema: Schema;
  readonly descriptions: Record<string, string>;
  readonly numeric: string[];
  readonly strings: string[];
}

function declarationFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, rel: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (e.name === '_schemas' || e.name === 'node_modules' || SKIPPED_DIRS.includes(r)) continue;
        walk(path.join(dir, e.name), r);
      } else if (e.name.endsWith('.d.ts') && e.name !== 'index.d.ts') out.push(path.join(dir, e.name));
    }
  };
  walk(root, '');
  return out;
}

function jsDoc(node: ts.Node): string | undefined {
  const docs = (node as { jsDoc?: ts.JSDoc[] }).jsDoc;
  const text = docs?.[0]?.comment;
  return typeof text === 'string' ? text : undefined;
}

/** Converts a declared type to a schema; `local` maps the file's own names to aliases. */
function schemaOfType(node: ts.TypeNode, local: Map<string, string>): Schema {
  switch (node.kind) {
    case ts.SyntaxKind.StringKeyword:
      return { type: 'string' };
    case ts.SyntaxKind.NumberKeyword:
      return { type: 'number' };
    case ts.SyntaxKind.BooleanKeyword:
      return { type: 'boolean' };
    case ts.SyntaxKind.AnyKeyword:
    case ts.SyntaxKind.UnknownKeyword:
    case ts.SyntaxKind.ObjectKeyword:
      return { 'x-kubernetes-preserve-unknown-fields': true };
    case ts.SyntaxKind.LiteralType:
      return { type: 'string' };
  }
  if (ts.isUnionTypeNode(node)) {
    const literals = node.types.map((t) =>
      ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal) ? t.literal.text : undefined,
    );
    if (literals.every((l) => l !== undefined)) return { type: 'string', enum: literals as string[] };
    return { 'x-kubernetes-preserve-unknown-fields': true };
  }
  if (ts.isTypeReferenceNode(node)) {
    const name = node.typeName.getText();
    if (name === 'Array' && node.typeArguments?.length === 1)
      return { type: 'array', items: schemaOfType(node.typeArguments[0]!, local) };
    const alias = local.get(name) ?? (name.startsWith('IIoK8s') ? name.slice(1) : undefined);
    if (!alias) throw new Error(`unknown type reference ${name}`);
    return { $ref: `#/components/schemas/${idOf(alias)}` };
  }
  if (ts.isTypeLiteralNode(node)) {
    const index = node.members.find(ts.isIndexSignatureDeclaration);
    if (index?.type) return { type: 'object', additionalProperties: schemaOfType(index.type, local) };
    return { 'x-kubernetes-preserve-unknown-fields': true };
  }
  if (ts.isArrayTypeNode(node)) return { type: 'array', items: schemaOfType(node.elementType, local) };
  throw new Error(`unsupported type ${ts.SyntaxKind[node.kind]}: ${node.getText()}`);
}

/** Paths of probe-worthy leaves: `p`, `p/0` (array item), `p/k` (map value). */
function leafProbes(name: string, s: Schema, want: 'number' | 'string'): string[] {
  if (s.type === want && !s.enum) return [name];
  if (s.type === 'array' && (s.items as Schema).type === want) return [`${name}/0`];
  if (s.type === 'object' && (s.additionalProperties as Schema | undefined)?.type === want)
    return [`${name}/k`];
  return [];
}

function parseFile(file: string): Parsed | undefined {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const local = new Map<string, string>();
  for (const st of source.statements) {
    if (
      ts.isExportDeclaration(st) &&
      st.isTypeOnly &&
      st.exportClause &&
      ts.isNamedExports(st.exportClause)
    ) {
      for (const el of st.exportClause.elements) {
        const exported = el.name.text;
        if (exported.startsWith('IIoK8s')) local.set(el.propertyName?.text ?? exported, exported.slice(1));
      }
    }
  }
  for (const st of source.statements) {
    if (!ts.isInterfaceDeclaration(st) && !ts.isTypeAliasDeclaration(st)) continue;
    const alias = local.get(st.name.text);
    if (!alias) continue;
    const id = idOf(alias);
    const descriptions: Record<string, string> = {};
    const description = jsDoc(st);
    if (description) descriptions[''] = description;
    if (ts.isTypeAliasDeclaration(st)) {
      const text = st.type.getText();
      const schema: Schema =
        text === 'string'
          ? { type: 'string' }
          : text === 'string | number' || text === 'number | string'
            ? { type: 'string', format: id.endsWith('IntOrString') ? 'int-or-string' : 'quantity' }
            : { 'x-kubernetes-preserve-unknown-fields': true };
      if (id.endsWith('.Time') || id.endsWith('.MicroTime')) schema.format = 'date-time';
      return { id, alias, file, schema, descriptions, numeric: [], strings: [] };
    }
    const members = st.members;
    const properties: Schema = {};
    const required: string[] = [];
    const numeric: string[] = [];
    const strings: string[] = [];
    let group: { group: string; version: string; kind: string } | undefined;
    const literal = (name: string) => {
      const m = members.find((x) => ts.isPropertySignature(x) && x.name.getText() === `"${name}"`);
      const t = m && ts.isPropertySignature(m) ? m.type : undefined;
      return t && ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal) ? t.literal.text : undefined;
    };
    const apiVersion = literal('apiVersion');
    const kind = literal('kind');
    if (apiVersion && kind) {
      const [g, v] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
      group = { group: g!, version: v!, kind };
    }
    for (const m of members) {
      if (!ts.isPropertySignature(m) || !m.type) continue;
      const name = ts.isStringLiteral(m.name) ? m.name.text : m.name.getText();
      const s = schemaOfType(m.type, local);
      properties[name] = s;
      if (!m.questionToken && !(group && (name === 'apiVersion' || name === 'kind'))) required.push(name);
      const doc = jsDoc(m);
      if (doc) descriptions[name] = doc;
      numeric.push(...leafProbes(name, s, 'number'));
      strings.push(...leafProbes(name, s, 'string'));
    }
    const schema: Schema = { type: 'object' };
    if (Object.keys(properties).length === 0) schema['x-kubernetes-preserve-unknown-fields'] = true;
    else schema.properties = properties;
    if (required.length) schema.required = required;
    if (group) schema['x-kubernetes-group-version-kind'] = [group];
    return { id, alias, file, schema, descriptions, numeric, strings };
  }
  return undefined;
}

type Validator = ((data: unknown) => boolean) & {
  errors?: { instancePath: string; keyword: string; params: Record<string, unknown> }[] | null;
};

async function loadValidator(p: Parsed): Promise<Validator> {
  const pkg = p.file.startsWith(MACHINERY) ? MACHINERY : MODELS;
  const mod = (await import(pathToFileURL(path.join(pkg, '_schemas', `${p.alias}.js`)).href)) as {
    validate: Validator;
  };
  return mod.validate;
}

function probeValue(probe: string, value: unknown): Record<string, unknown> {
  const [name, inner] = probe.split('/');
  if (inner === '0') return { [name!]: [value] };
  if (inner === 'k') return { [name!]: { k: value } };
  return { [name!]: value };
}

function errorsAt(v: Validator, data: unknown, probe: string) {
  v(data);
  return (v.errors ?? []).filter((e) => e.instancePath === `/${probe}`);
}

function leafSchema(schema: Schema, probe: string): Schema {
  const [name, inner] = probe.split('/');
  const s = (schema.properties as Record<string, Schema>)[name!]!;
  if (inner === '0') return s.items as Schema;
  if (inner === 'k') return s.additionalProperties as Schema;
  return s;
}

/** Learns integer and string formats the declarations lose, by validating bad values. */
async function refineFormats(p: Parsed): Promise<void> {
  if (p.numeric.length === 0 && p.strings.length === 0) return;
  const v = await loadValidator(p);
  for (const probe of p.numeric) {
    const leaf = leafSchema(p.schema, probe);
    const half = errorsAt(v, probeValue(probe, 0.5), probe);
    if (!half.some((e) => e.keyword === 'type' && e.params.type === 'integer')) {
      leaf.format = 'double';
      continue;
    }
    leaf.type = 'integer';
    const big = errorsAt(v, probeValue(probe, 2 ** 31), probe);
    leaf.format = big.some((e) => e.keyword === 'format' && e.params.format === 'int32') ? 'int32' : 'int64';
  }
  for (const probe of p.strings) {
    const bad = errorsAt(v, probeValue(probe, '%%%'), probe);
    const format = bad.find((e) => e.keyword === 'format')?.params.format;
    if (format === 'byte' || format === 'date-time') leafSchema(p.schema, probe).format = format;
  }
}

async function main(): Promise<void> {
  const parsed: Parsed[] = [];
  for (const root of [MACHINERY, MODELS]) {
    for (const file of declarationFiles(root)) {
      const p = parseFile(file);
      if (p) parsed.push(p);
    }
  }
  for (const p of parsed) await refineFormats(p);
  parsed.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const schemas: Record<string, Schema> = {};
  const descriptions: Record<string, Record<string, string>> = {};
  for (const p of parsed) {
    schemas[p.id] = p.schema;
    if (Object.keys(p.descriptions).length) descriptions[p.id] = p.descriptions;
  }
  const header = {
    source: `kubernetes-models@${VERSION}`,
    generator: 'scripts/generate-openapi.ts',
  };
  mkdirSync(OUT, { recursive: true });
  writeFileSync(path.join(OUT, 'definitions.json'), `${JSON.stringify({ ...header, schemas })}\n`);
  writeFileSync(path.join(OUT, 'descriptions.json'), `${JSON.stringify({ ...header, descriptions })}\n`);
  console.log(`${parsed.length} definitions from kubernetes-models@${VERSION}`);
}

await main();

/**
 * The vendored OpenAPI definitions of the built-in kinds (current and removed versions), generated
 * from the `kubernetes-models` package by `scripts/generate-openapi.ts`, and the
 * index from (group, version, kind) to a definition id.
 */

import { DefinitionCompiler, type OpenApiSchema, type SchemaNode } from './nodes.js';
import data from './openapi/definitions.json' with { type: 'json' };

interface DefinitionsFile {
  readonly source: string;
  readonly schemas: Readonly<Record<string, OpenApiSchema>>;
}

interface GroupVersionKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

const file = data as unknown as DefinitionsFile;

/** Where the definitions come from: `kubernetes-models@5.1.0`. */
export const OPENAPI_SOURCE: string = file.source;

/** Every definition, keyed by id (`io.k8s.api.apps.v1.Deployment`), OpenAPI v3 shaped. */
export function openApiDefinitions(): Readonly<Record<string, OpenApiSchema>> {
  return file.schemas;
}

let index: Map<string, string> | undefined;
let compiler: DefinitionCompiler | undefined;

function gvkKey(group: string, version: string, kind: string): string {
  return `${group}/${version}/${kind}`;
}

/** The definition id of a top-level kind in one group-version, if Kubernetes ever served it. */
export function definitionIdFor(group: string, version: string, kind: string): string | undefined {
  if (!index) {
    index = new Map();
    for (const [id, s] of Object.entries(file.schemas)) {
      const gvks = s['x-kubernetes-group-version-kind'] as readonly GroupVersionKind[] | undefined;
      for (const g of gvks ?? []) index.set(gvkKey(g.group, g.version, g.kind), id);
    }
  }
  return index.get(gvkKey(group, version, kind));
}

/** The compiled node of a definition (compiled once, then cached). */
export function compiledDefinition(id: string): SchemaNode {
  compiler ??= new DefinitionCompiler(file.schemas);
  return compiler.definition(id);
}

/** The compiled ObjectMeta node, shared by built-in and custom kinds. */
export function objectMetaNode(): SchemaNode {
  return compiledDefinition('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
}

/** Descriptions by definition id, then property (`''` is the definition's own). */
export type OpenApiDescriptions = Readonly<Record<string, Readonly<Record<string, string>>>>;

let descriptions: Promise<OpenApiDescriptions> | undefined;

/**
 * The field descriptions of every definition (for `kubectl explain` and served OpenAPI
 * documents). A separate file, loaded on first use so validation does not pay for it.
 */
export function openApiDescriptions(): Promise<OpenApiDescriptions> {
  descriptions ??= import('./openapi/descriptions.json', { with: { type: 'json' } }).then(
    (m) => (m.default as unknown as { descriptions: OpenApiDescriptions }).descriptions,
  );
  return descriptions;
}

/**
 * Compiled schema nodes: the shape the structural validator walks. Built once per definition
 * (built-in kinds, from the vendored OpenAPI definitions) or per CRD version (from its
 * `openAPIV3Schema`), then cached, so validating an object is one walk with no schema lookups.
 */

/** What a node accepts. `quantity` and `int-or-string` take a number or a string. */
export type NodeType =
  | 'object'
  | 'map'
  | 'array'
  | 'string'
  | 'integer'
  | 'number'
  | 'boolean'
  | 'int-or-string'
  | 'quantity'
  | 'any';

/** Value constraints a CRD schema may carry (built-in kinds use Go-coded rules instead). */
export interface NodeConstraints {
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: boolean;
  readonly exclusiveMaximum?: boolean;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly minProperties?: number;
  readonly maxProperties?: number;
  readonly pattern?: RegExp;
  readonly multipleOf?: number;
  readonly uniqueItems?: boolean;
}

/** One compiled schema node. Object and map children are filled after creation (recursion). */
export interface SchemaNode {
  readonly type: NodeType;
  /** Go type as `json` error messages print it: `int32`, `v1.DeploymentSpec`, `map[string]string`. */
  go: string;
  /** Object nodes: the Go struct name (`DeploymentSpec`) and the definition id. */
  struct?: string;
  id?: string;
  /** Object nodes: known fields. */
  props?: Map<string, SchemaNode>;
  required?: readonly string[];
  /** Map values and array items. */
  values?: SchemaNode;
  items?: SchemaNode;
  /** Unknown fields are kept (not pruned, not reported). */
  preserveUnknown?: boolean;
  /** CRD `x-kubernetes-embedded-resource`: apiVersion, kind and metadata are allowed and checked. */
  embedded?: boolean;
  /** `int32`, `int64`, `double`, `byte`, `date-time`… */
  format?: string;
  enum?: readonly unknown[];
  nullable?: boolean;
  constraints?: NodeConstraints;
  /** CRD `default`: filled in when the field is absent (structural defaulting). */
  defaultValue?: unknown;
}

/** An OpenAPI v3 / CRD schema object, as JSON. */
export type OpenApiSchema = Readonly<Record<string, unknown>>;

const REF_PREFIX = '#/components/schemas/';

/** Definitions whose JSON form is not what their declared type says. */
const SPECIAL: Readonly<Record<string, () => SchemaNode>> = {
  'io.k8s.apimachinery.pkg.api.resource.Quantity': () => ({ type: 'quantity', go: 'resource.Quantity' }),
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': () => ({
    type: 'int-or-string',
    go: 'intstr.IntOrString',
  }),
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time': () => ({ type: 'string', go: 'v1.Time', format: 'date-time' }),
  'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime': () => ({
    type: 'string',
    go: 'v1.MicroTime',
    format: 'date-time',
  }),
  'io.k8s.apimachinery.pkg.runtime.RawExtension': () => ({ type: 'any', go: 'runtime.RawExtension' }),
  'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1': () => ({ type: 'any', go: 'v1.FieldsV1' }),
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps': () => ({
    type: 'any',
    go: 'v1.JSONSchemaProps',
  }),
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1beta1.JSONSchemaProps': () => ({
    type: 'any',
    go: 'v1beta1.JSONSchemaProps',
  }),
};

/** The Go package name of a definition id: `io.k8s.api.apps.v1.DeploymentSpec` → `v1`. */
function goPackage(id: string): string {
  const parts = id.split('.');
  return parts[parts.length - 2] ?? '';
}

function lastSegment(id: string): string {
  return id.slice(id.lastIndexOf('.') + 1);
}

/**
 * Compiles the vendored OpenAPI definitions on demand. One instance per definitions table;
 * every definition is compiled at most once.
 */
export class DefinitionCompiler {
  private readonly cache = new Map<string, SchemaNode>();

  constructor(private readonly schemas: Readonly<Record<string, OpenApiSchema>>) {}

  /** Whether `id` names a definition. */
  has(id: string): boolean {
    return id in this.schemas;
  }

  /** The compiled node of a definition id. Throws on an unknown id (a bug in the tables). */
  definition(id: string): SchemaNode {
    const hit = this.cache.get(id);
    if (hit) return hit;
    const special = SPECIAL[id];
    if (special) {
      const node = special();
      this.cache.set(id, node);
      return node;
    }
    const schema = this.schemas[id];
    if (!schema) throw new Error(`no OpenAPI definition ${id}`);
    const struct = lastSegment(id);
    const node: SchemaNode = { type: 'object', go: `${goPackage(id)}.${struct}`, struct, id };
    // Cache before compiling the properties, so recursive definitions terminate.
    this.cache.set(id, node);
    const props = schema.properties as Record<string, OpenApiSchema> | undefined;
    if (!props) {
      node.preserveUnknown = true;
      return node;
    }
    node.props = new Map(Object.entries(props).map(([name, s]) => [name, this.compile(s)]));
    if (Array.isArray(schema.required)) node.required = schema.required as string[];
    return node;
  }

  private compile(s: OpenApiSchema): SchemaNode {
    const ref = s.$ref;
    if (typeof ref === 'string') return this.definition(ref.slice(REF_PREFIX.length));
    if (s['x-kubernetes-preserve-unknown-fields'] === true) return { type: 'any', go: 'interface {}' };
    switch (s.type) {
      case 'array': {
        const items = this.compile(s.items as OpenApiSchema);
        return { type: 'array', go: `[]${items.go}`, items };
      }
      case 'object': {
        const values = this.compile(s.additionalProperties as OpenApiSchema);
        return { type: 'map', go: `map[string]${values.go}`, values };
      }
      case 'integer':
        return { type: 'integer', go: s.format === 'int32' ? 'int32' : 'int64', format: s.format as string };
      case 'number':
        return { type: 'number', go: 'float64', format: 'double' };
      case 'boolean':
        return { type: 'boolean', go: 'bool' };
      case 'string':
        if (s.format === 'byte') return { type: 'string', go: '[]uint8', format: 'byte' };
        return {
          type: 'string',
          go: 'string',
          ...(typeof s.format === 'string' ? { format: s.format } : {}),
          ...(Array.isArray(s.enum) ? { enum: s.enum as string[] } : {}),
        };
      default:
        return { type: 'any', go: 'interface {}' };
    }
  }
}

/** Whether a CRD schema node admits any field (`x-kubernetes-preserve-unknown-fields`). */
function preserves(s: OpenApiSchema): boolean {
  return s['x-kubernetes-preserve-unknown-fields'] === true;
}

function constraintsOf(s: OpenApiSchema): NodeConstraints | undefined {
  const num = (k: string) => (typeof s[k] === 'number' ? (s[k] as number) : undefined);
  const c: Record<string, unknown> = {};
  for (const k of [
    'minimum',
    'maximum',
    'minLength',
    'maxLength',
    'minItems',
    'maxItems',
    'minProperties',
    'maxProperties',
    'multipleOf',
  ]) {
    const v = num(k);
    if (v !== undefined) c[k] = v;
  }
  if (s.exclusiveMinimum === true) c.exclusiveMinimum = true;
  if (s.exclusiveMaximum === true) c.exclusiveMaximum = true;
  if (s.uniqueItems === true) c.uniqueItems = true;
  if (typeof s.pattern === 'string') {
    try {
      c.pattern = new RegExp(s.pattern, 'u');
    } catch {
      // An invalid pattern is the CRD's validation problem, not a reason to fail every object.
    }
  }
  return Object.keys(c).length ? (c as NodeConstraints) : undefined;
}

/**
 * Compiles a CRD version's `openAPIV3Schema` (a structural schema) into a node. Fields not
 * declared are unknown unless `x-kubernetes-preserve-unknown-fields` says otherwise.
 */
export function compileCrdSchema(s: OpenApiSchema, objectMeta?: SchemaNode): SchemaNode {
  const base = (): Partial<SchemaNode> => {
    const extra: Partial<SchemaNode> = {};
    if (Array.isArray(s.enum)) extra.enum = s.enum as unknown[];
    if (s.nullable === true) extra.nullable = true;
    if ('default' in s) extra.defaultValue = s.default;
    const c = constraintsOf(s);
    if (c) extra.constraints = c;
    return extra;
  };
  if (s['x-kubernetes-int-or-string'] === true)
    return { type: 'int-or-string', go: 'intstr.IntOrString', ...base() };
  switch (s.type) {
    case 'object': {
      const props = s.properties as Record<string, OpenApiSchema> | undefined;
      const additional = s.additionalProperties;
      if (!props && additional && typeof additional === 'object') {
        const values = compileCrdSchema(additional as OpenApiSchema, objectMeta);
        return { type: 'map', go: `map[string]${values.go}`, values, ...base() };
      }
      const node: SchemaNode = { type: 'object', go: 'object', struct: 'object', ...base() };
      node.props = new Map(Object.entries(props ?? {}).map(([k, v]) => [k, compileCrdSchema(v, objectMeta)]));
      if (Array.isArray(s.required)) node.required = s.required as string[];
      if (preserves(s) || (additional === true && !props)) node.preserveUnknown = true;
      if (s['x-kubernetes-embedded-resource'] === true) {
        node.embedded = true;
        node.props.set('apiVersion', node.props.get('apiVersion') ?? { type: 'string', go: 'string' });
        node.props.set('kind', node.props.get('kind') ?? { type: 'string', go: 'string' });
        if (objectMeta) node.props.set('metadata', objectMeta);
      }
      return node;
    }
    case 'array': {
      const items = s.items
        ? compileCrdSchema(s.items as OpenApiSchema, objectMeta)
        : { type: 'any' as const, go: '' };
      return { type: 'array', go: `[]${items.go}`, items, ...base() };
    }
    case 'string':
      return {
        type: 'string',
        go: 'string',
        ...(typeof s.format === 'string' ? { format: s.format } : {}),
        ...base(),
      };
    case 'integer':
      return { type: 'integer', go: 'int64', format: 'int64', ...base() };
    case 'number':
      return { type: 'number', go: 'float64', ...base() };
    case 'boolean':
      return { type: 'boolean', go: 'bool', ...base() };
    default:
      return { type: 'any', go: 'interface {}', ...base() };
  }
}

/**
 * Fills the `default`s of a CRD schema into an object, in place: absent fields of objects that
 * exist get their default, as the API server's structural defaulting does.
 */
export function applySchemaDefaults(value: unknown, node: SchemaNode): void {
  if (typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    if (node.items) for (const item of value) applySchemaDefaults(item, node.items);
    return;
  }
  const obj = value as Record<string, unknown>;
  if (node.type === 'map' && node.values) {
    for (const v of Object.values(obj)) applySchemaDefaults(v, node.values);
    return;
  }
  if (!node.props) return;
  for (const [name, child] of node.props) {
    if (obj[name] === undefined && child.defaultValue !== undefined)
      obj[name] = structuredClone(child.defaultValue);
    if (obj[name] !== undefined) applySchemaDefaults(obj[name], child);
  }
}

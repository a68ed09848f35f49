/**
 * CustomResourceDefinitions: registering the kind a CRD declares, and validating custom objects
 * against its schema (unknown fields refused under Strict and pruned otherwise, except where
 * `x-kubernetes-preserve-unknown-fields` keeps them; types, enums, ranges, required fields).
 */

import { beforeEach, describe, expect, it } from 'vitest';
import {
  BuiltinKindRegistry,
  formatFieldError,
  KubeObjectSchema,
} from '../../../../src/cluster/api/kinds/index.js';
import type { KindInfo } from '../../../../src/cluster/api/types.js';
import type { KubeObject } from '../../../../src/cluster/store/types.js';
import { apiErrorOf, manifest } from './builders.js';

const CRD = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: coffees.container.training
spec:
  group: container.training
  scope: Namespaced
  names:
    plural: coffees
    singular: coffee
    kind: Coffee
    shortNames: [cof]
    categories: [all]
  versions:
  - name: v1alpha1
    served: true
    storage: false
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
  - name: v1
    served: true
    storage: true
    subresources:
      status: {}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            required: [taste]
            properties:
              taste:
                type: string
                enum: [strong, mild]
              cups:
                type: integer
                minimum: 1
                maximum: 10
                default: 1
              origin:
                type: string
                pattern: '^[A-Z][a-z]+$'
              extras:
                type: object
                x-kubernetes-preserve-unknown-fields: true
          status:
            type: object
            properties:
              brewed: {type: boolean}
`;

let registry: BuiltinKindRegistry;
let schema: KubeObjectSchema;
let info: KindInfo;

const coffee = (spec: Record<string, unknown>, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'container.training/v1',
  kind: 'Coffee',
  metadata: { name: 'espresso', namespace: 'default' },
  spec,
  ...extra,
});

beforeEach(() => {
  registry = new BuiltinKindRegistry();
  schema = new KubeObjectSchema(registry);
  const crd = schema.admit(manifest(CRD)).object;
  info = registry.registerCrd(crd);
});

describe('registration', () => {
  it('serves the storage version with the names the CRD declares', () => {
    expect(info).toEqual({
      group: 'container.training',
      version: 'v1',
      kind: 'Coffee',
      plural: 'coffees',
      singular: 'coffee',
      shortNames: ['cof'],
      scope: 'Namespaced',
      categories: ['all'],
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      subresources: ['status'],
    });
  });

  it.each([
    'cof',
    'coffee',
    'coffees',
    'Coffee',
    'coffees.container.training',
    'coffees.v1alpha1.container.training',
  ])('resolves %s', (arg) => {
    expect(registry.resolve(arg)).toEqual([info]);
  });

  it('maps every served version to the kind, joins the all category, and goes away', () => {
    expect(registry.forObject('container.training/v1alpha1', 'Coffee')).toBe(info);
    expect(registry.category('all')).toContain(info);
    registry.unregister('container.training', 'Coffee');
    expect(registry.resolve('cof')).toEqual([]);
    expect(registry.forObject('container.training/v1', 'Coffee')).toBeUndefined();
  });

  it('cannot unregister a built-in kind', () => {
    registry.unregister('apps', 'Deployment');
    expect(registry.resolve('deploy')).toHaveLength(1);
  });

  it('a v1 CRD must be named plural.group', () => {
    const bad = manifest(CRD.replace('name: coffees.container.training', 'name: coffee'));
    expect(apiErrorOf(() => schema.admit(bad)).message).toBe(
      'CustomResourceDefinition.apiextensions.k8s.io "coffee" is invalid: metadata.name: Invalid value: "coffee": must be spec.names.plural+"."+spec.group',
    );
  });
});

describe('validation of custom objects', () => {
  it('accepts a good one and keeps preserved fields', () => {
    const { object } = schema.admit(
      coffee({ taste: 'strong', cups: 2, extras: { sugar: 1, milk: { kind: 'oat' } } }),
    );
    expect(object.spec).toEqual({ taste: 'strong', cups: 2, extras: { sugar: 1, milk: { kind: 'oat' } } });
  });

  it("fills the schema's defaults", () => {
    expect(schema.admit(coffee({ taste: 'mild' })).object.spec).toEqual({ taste: 'mild', cups: 1 });
  });

  it('refuses unknown fields under Strict, as the server words it', () => {
    expect(apiErrorOf(() => schema.admit(coffee({ taste: 'mild', sugar: 2 }, { color: 'brown' })))).toEqual({
      code: 400,
      reason: 'BadRequest',
      message:
        'Coffee in version "v1" cannot be handled as a Coffee: strict decoding error: unknown field "spec.sugar", unknown field "color"',
    });
  });

  it('prunes unknown fields and nulls under Ignore', () => {
    const { object } = schema.admit(coffee({ taste: 'mild', sugar: 2, origin: null }), {
      fieldValidation: 'Ignore',
    });
    // sugar and the null origin are pruned; cups, absent, gets its default.
    expect(object.spec).toEqual({ taste: 'mild', cups: 1 });
  });

  it('keeps everything in a version whose schema preserves unknown fields', () => {
    const { object } = schema.admit({
      ...coffee({ anything: { goes: true } }),
      apiVersion: 'container.training/v1alpha1',
    });
    expect(object).toMatchObject({ apiVersion: 'container.training/v1', spec: { anything: { goes: true } } });
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['a required field', { cups: 1 }, ['spec.taste: Required value']],
    [
      'a type',
      { taste: 'mild', cups: 'two' },
      ['spec.cups: Invalid value: "string": spec.cups in body must be of type integer: "string"'],
    ],
    [
      'an enum',
      { taste: 'burnt' },
      ['spec.taste: Unsupported value: "burnt": supported values: "strong", "mild"'],
    ],
    [
      'a maximum',
      { taste: 'mild', cups: 11 },
      ['spec.cups: Invalid value: 11: spec.cups in body should be less than or equal to 10'],
    ],
    [
      'a pattern',
      { taste: 'mild', origin: 'kenya' },
      ['spec.origin: Invalid value: "kenya": spec.origin in body should match \'^[A-Z][a-z]+$\''],
    ],
  ])('checks %s', (_, spec, expected) => {
    expect(schema.validate(coffee(spec), info).map(formatFieldError)).toEqual(expected);
  });

  it('a schema error is a 422 naming the qualified kind', () => {
    expect(apiErrorOf(() => schema.admit(coffee({ taste: 'burnt' })))).toEqual({
      code: 422,
      reason: 'Invalid',
      message:
        'Coffee.container.training "espresso" is invalid: spec.taste: Unsupported value: "burnt": supported values: "strong", "mild"',
    });
  });

  it('metadata is checked like any object', () => {
    expect(
      apiErrorOf(() => schema.admit({ ...coffee({ taste: 'mild' }), metadata: { name: 'Espresso' } })).code,
    ).toBe(422);
  });
});

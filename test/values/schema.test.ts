/**
 * `validateValuesSchema`: Helm's report format, per-chart scoping, `global`, drafts, and refused
 * external `$ref`s (security-and-faults §5.A14).
 */

import { describe, expect, it } from 'vitest';
import {
  ChartInvalidError,
  LimitError,
  SchemaValidationError,
  YamlError,
} from '../../src/internal/errors.js';
import type { PlainObject } from '../../src/internal/objects.js';
import { processDependencies } from '../../src/values/dependencies.js';
import { validateValuesSchema as validateLazily } from '../../src/values/schema.js';
// The synchronous core; `validateLazily` loads it on demand.
import { validateWithAjv as validateValuesSchema } from '../../src/values/schema-ajv.js';
import { makeChart } from './chart-builder.js';

const HEADER = "values don't meet the specifications of the schema(s) in the following chart(s):";

const VALS_SCHEMA = JSON.stringify({
  type: 'object',
  required: ['replicas'],
  additionalProperties: false,
  properties: {
    replicas: { type: 'integer', minimum: 1 },
    image: { type: 'object', properties: { tag: { type: 'string' } } },
    mode: { enum: ['a', 'b'] },
    name: { type: 'string', pattern: '^[a-z]+$', maxLength: 5 },
    ports: { type: 'array', minItems: 1 },
  },
});

function failure(chart: Parameters<typeof validateValuesSchema>[0], values: PlainObject): unknown {
  try {
    validateValuesSchema(chart, values);
  } catch (err) {
    return err;
  }
  return undefined;
}

describe('report format', () => {
  const chart = makeChart('vals', { schema: VALS_SCHEMA });

  it.each<[string, PlainObject, string[]]>([
    ['minimum', { replicas: 0 }, ["- at '/replicas': minimum: got 0, want 1"]],
    ['nested type', { replicas: 1, image: { tag: 1 } }, ["- at '/image/tag': got number, want string"]],
    ['required', {}, ["- at '': missing property 'replicas'"]],
    [
      'additional property',
      { replicas: 1, extra: true },
      ["- at '': additional properties 'extra' not allowed"],
    ],
    ['enum', { replicas: 1, mode: 'c' }, ['- at \'/mode\': value must be one of "a", "b"']],
    [
      'pattern and length',
      { replicas: 1, name: 'ABCDEFG' },
      [
        "- at '/name': maxLength: got 7, want 5",
        '- at \'/name\': "ABCDEFG" does not match pattern "^[a-z]+$"',
      ],
    ],
    ['minItems', { replicas: 1, ports: [] }, ["- at '/ports': minItems: got 0, want 1"]],
  ])('%s', (_name, values, lines) => {
    const err = failure(chart, values);
    expect(err).toBeInstanceOf(SchemaValidationError);
    expect((err as Error).message).toBe(`${HEADER}\nvals:\n${lines.join('\n')}`);
  });

  it('passes valid values', () => {
    expect(failure(chart, { replicas: 2, image: { tag: '1' } })).toBeUndefined();
  });
});

describe('subcharts', () => {
  const strictSub = (schema: PlainObject) =>
    makeChart('sub', { values: { size: 1 }, schema: JSON.stringify(schema) });

  it('validates each subchart against its own scoped values, ignoring the injected global', () => {
    const sub = strictSub({
      type: 'object',
      additionalProperties: false,
      properties: { size: { type: 'integer' } },
    });
    const parent = makeChart('p', { subcharts: [sub] });
    const ok = processDependencies(parent, { global: { region: 'eu' } });
    expect(failure(ok.chart, ok.values)).toBeUndefined();
    const bad = processDependencies(parent, { sub: { size: 'big' } });
    expect((failure(bad.chart, bad.values) as Error).message).toBe(
      `${HEADER}\nsub:\n- at '/size': got string, want integer`,
    );
  });

  it('validates global when the schema declares it', () => {
    const sub = strictSub({
      type: 'object',
      properties: { global: { type: 'object', properties: { region: { type: 'string' } } } },
    });
    const { chart, values } = processDependencies(makeChart('p', { subcharts: [sub] }), {
      global: { region: 1 },
    });
    expect((failure(chart, values) as Error).message).toBe(
      `${HEADER}\nsub:\n- at '/global/region': got number, want string`,
    );
  });

  it('reports root and subchart failures together', () => {
    const sub = strictSub({ properties: { size: { maximum: 0 } } });
    const parent = makeChart('p', { schema: '{"required":["x"]}', subcharts: [sub] });
    const { chart, values } = processDependencies(parent, {});
    expect((failure(chart, values) as Error).message).toBe(
      `${HEADER}\np:\n- at '': missing property 'x'\nsub:\n- at '/size': maximum: got 1, want 0`,
    );
  });

  it('reports subchart values that are not a map', () => {
    const parent = makeChart('p', { subcharts: [strictSub({})] });
    expect((failure(parent, { sub: [1] }) as Error).message).toBe(
      `${HEADER}\nsub:\ninvalid type for values: expected object (map), got array`,
    );
  });
});

describe('drafts', () => {
  it.each<[string, PlainObject, PlainObject, boolean]>([
    [
      'draft-07 definitions',
      { definitions: { n: { type: 'integer' } }, properties: { a: { $ref: '#/definitions/n' } } },
      { a: 'x' },
      false,
    ],
    [
      '2020-12 $defs and prefixItems',
      {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        $defs: { s: { type: 'string' } },
        properties: { t: { prefixItems: [{ $ref: '#/$defs/s' }] } },
      },
      { t: [1] },
      false,
    ],
    [
      '2019-09 dependentRequired',
      { $schema: 'https://json-schema.org/draft/2019-09/schema', dependentRequired: { a: ['b'] } },
      { a: 1 },
      false,
    ],
    [
      'draft-04 boolean exclusiveMinimum',
      {
        $schema: 'http://json-schema.org/draft-04/schema#',
        properties: { n: { minimum: 1, exclusiveMinimum: true } },
      },
      { n: 1 },
      false,
    ],
    [
      'draft-06 passes',
      { $schema: 'http://json-schema.org/draft-06/schema#', properties: { n: { const: 1 } } },
      { n: 1 },
      true,
    ],
    [
      'an unknown $schema reads as draft-07',
      { $schema: 'https://example.com/meta', type: 'object' },
      {},
      true,
    ],
  ])('%s', (_name, schema, values, valid) => {
    const err = failure(makeChart('c', { schema: JSON.stringify(schema) }), values);
    if (valid) expect(err).toBeUndefined();
    else expect(err).toBeInstanceOf(SchemaValidationError);
  });
});

describe('bad schemas (§5.A14)', () => {
  it.each([
    ['file:///etc/hostname', 'file:///etc/hostname'],
    ['http://127.0.0.1:9/huge.json', 'http://127.0.0.1:9/huge.json'],
    ['other.json#/x', 'other.json'],
  ])('refuses $ref %s without reading it', (ref, shown) => {
    const chart = makeChart('evil', { schema: JSON.stringify({ properties: { a: { $ref: ref } } }) });
    const start = performance.now();
    const err = failure(chart, { a: 1 });
    expect(performance.now() - start).toBeLessThan(1000);
    expect(err).toBeInstanceOf(ChartInvalidError);
    expect((err as Error).message).toMatch(
      new RegExp(
        `^evil/values\\.schema\\.json: \\$ref "[^"]*${shown.replace(/[.*/?#]/g, '\\$&')}[^"]*" cannot be resolved`,
      ),
    );
  });

  it.each([
    ['a self-referencing root', { $ref: '#' }],
    [
      'a two-step cycle',
      {
        definitions: { a: { $ref: '#/definitions/b' }, b: { $ref: '#/definitions/a' } },
        $ref: '#/definitions/a',
      },
    ],
  ])('fails cleanly on %s', (_name, schema) => {
    expect(failure(makeChart('loop', { schema: JSON.stringify(schema) }), {})).toBeInstanceOf(LimitError);
  });

  it('names the file of a schema that is not JSON', () => {
    const err = failure(makeChart('c', { schema: '{"type": ' }), {});
    expect(err).toBeInstanceOf(YamlError);
    expect((err as Error).message).toMatch(/^c\/values\.schema\.json: invalid JSON/);
  });

  it('reports an invalid schema as a chart error', () => {
    const err = failure(makeChart('c', { schema: '{"type": "strin"}' }), {});
    expect(err).toBeInstanceOf(ChartInvalidError);
    expect((err as Error).message).toMatch(/^c\/values\.schema\.json: invalid schema: /);
  });

  it('refuses a schema that is neither an object nor a boolean', () => {
    expect(failure(makeChart('c', { schema: '[1]' }), {})).toBeInstanceOf(ChartInvalidError);
  });
});

describe('lazy loading', () => {
  it('charts without a schema never load the validator; with one, failures reject', async () => {
    await expect(validateLazily(makeChart('plain'), { anything: 1 })).resolves.toBeUndefined();
    await expect(validateLazily(makeChart('vals', { schema: VALS_SCHEMA }), { replicas: 0 })).rejects.toThrow(
      /- at '\/replicas': minimum: got 0, want 1/,
    );
  });
});

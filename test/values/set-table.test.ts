/**
 * helm-behaviour.md §3.3, "the full `--set` table": every row through the real pipeline
 * (`mergeValueOptions` then `coalesceValues`) on the table's chart.
 */

import { describe, expect, it } from 'vitest';
import type { PlainObject } from '../../src/internal/objects.js';
import { coalesceValues } from '../../src/values/coalesce.js';
import { mergeValueOptions, type ValueOptions } from '../../src/values/value-options.js';
import { makeChart } from './chart-builder.js';

const DEFAULTS: PlainObject = {
  replicas: 1,
  image: { repo: 'nginx', tag: '1.0' },
  list: ['a', 'b', 'c'],
  drop: 'keepme',
  nested: { keep: 1, remove: 2 },
};

const FILES: Record<string, string> = {
  'f1.yaml': 'image:\n  tag: fromfile1\n  pullPolicy: Always\nlist: [f1]\n',
  'f2.yaml': 'image:\n  tag: fromfile2\nnested: null\n',
  'data.txt': 'line1\nline2,with,commas\n',
};

const sources = {
  readFile(path: string): string {
    const text = FILES[path];
    if (text === undefined) throw new Error(`no such file ${path}`);
    return text;
  },
};

async function run(opts: ValueOptions): Promise<{ values: PlainObject; warnings: string[] }> {
  const user = await mergeValueOptions(opts, sources);
  return coalesceValues(makeChart('vals', { values: DEFAULTS }), user);
}

interface Row {
  name: string;
  opts: ValueOptions;
  /** Top-level keys that differ from the defaults, with their whole new value. */
  changed?: PlainObject;
  /** Top-level keys that must be gone. */
  removed?: string[];
  warnings?: string[];
}

const rows: Row[] = [
  {
    name: 'row 1: --set a=1,b=true,c=null,d=1.5,e=0123,f=0,g=abc,h=,i=99999999999999999999',
    opts: { set: ['a=1,b=true,c=null,d=1.5,e=0123,f=0,g=abc,h=,i=99999999999999999999'] },
    changed: {
      a: 1,
      b: true,
      c: null,
      d: '1.5',
      e: '0123',
      f: 0,
      g: 'abc',
      h: '',
      i: '99999999999999999999',
    },
  },
  {
    name: "row 2: --set image.tag=2.0 --set 'list[1]=B'",
    opts: { set: ['image.tag=2.0', 'list[1]=B'] },
    changed: { image: { repo: 'nginx', tag: '2.0' }, list: [null, 'B'] },
  },
  {
    name: "row 3: --set 'list[5]=z'",
    opts: { set: ['list[5]=z'] },
    changed: { list: [null, null, null, null, null, 'z'] },
  },
  {
    name: "row 4: --set 'newlist[0].name=n0,newlist[0].port=80,newlist[1].name=n1'",
    opts: { set: ['newlist[0].name=n0,newlist[0].port=80,newlist[1].name=n1'] },
    changed: { newlist: [{ name: 'n0', port: 80 }, { name: 'n1' }] },
  },
  { name: "row 5a: --set 'x={a,b,c}'", opts: { set: ['x={a,b,c}'] }, changed: { x: ['a', 'b', 'c'] } },
  {
    name: "row 5b: --set 'x={1,true,null}'",
    opts: { set: ['x={1,true,null}'] },
    changed: { x: [1, true, null] },
  },
  { name: "row 6: --set 'a\\.b=1'", opts: { set: ['a\\.b=1'] }, changed: { 'a.b': 1 } },
  {
    name: "row 7: --set 'annotations.kubernetes\\.io/ingress\\.class=nginx'",
    opts: { set: ['annotations.kubernetes\\.io/ingress\\.class=nginx'] },
    changed: { annotations: { 'kubernetes.io/ingress.class': 'nginx' } },
  },
  {
    name: "row 8: --set 'url=http://a.b/c?x=1\\,y=2'",
    opts: { set: ['url=http://a.b/c?x=1\\,y=2'] },
    changed: { url: 'http://a.b/c?x=1,y=2' },
  },
  {
    name: 'row 9a: --set nested.remove=null',
    opts: { set: ['nested.remove=null'] },
    changed: { nested: { keep: 1 } },
  },
  { name: 'row 9b: --set drop=null', opts: { set: ['drop=null'] }, removed: ['drop'] },
  { name: 'row 9c: --set image=null', opts: { set: ['image=null'] }, removed: ['image'] },
  { name: 'row 9d: --set list=null', opts: { set: ['list=null'] }, removed: ['list'] },
  {
    name: 'row 10: --set a.b=1,a.c=2 --set a.b=null (a not in defaults)',
    opts: { set: ['a.b=1,a.c=2', 'a.b=null'] },
    changed: { a: { b: null, c: 2 } },
  },
  {
    name: "row 11: --set-string 'a=1,b=true,c=null'",
    opts: { setString: ['a=1,b=true,c=null'] },
    changed: { a: '1', b: 'true', c: 'null' },
  },
  { name: 'row 13: --set x=a=b', opts: { set: ['x=a=b'] }, changed: { x: 'a=b' } },
  { name: "row 14: --set 'm[0][1]=x'", opts: { set: ['m[0][1]=x'] }, changed: { m: [[null, 'x']] } },
  {
    name: "row 15: --set 'a[0]=x' --set 'a[1]=y'",
    opts: { set: ['a[0]=x', 'a[1]=y'] },
    changed: { a: ['x', 'y'] },
  },
  {
    name: 'row 16: --set list.x=1',
    opts: { set: ['list.x=1'] },
    changed: { list: { x: 1 } },
    warnings: ['skipped value for vals.list: Not a table.'],
  },
  {
    name: 'row 17a: --set image.tag=1e3',
    opts: { set: ['image.tag=1e3'] },
    changed: { image: { repo: 'nginx', tag: '1e3' } },
  },
  {
    name: 'row 17b: --set image.tag=-5',
    opts: { set: ['image.tag=-5'] },
    changed: { image: { repo: 'nginx', tag: -5 } },
  },
  {
    name: 'row 17c: --set image.tag=+5',
    opts: { set: ['image.tag=+5'] },
    changed: { image: { repo: 'nginx', tag: 5 } },
  },
  {
    name: 'row 17d: --set image.tag=TRUE',
    opts: { set: ['image.tag=TRUE'] },
    changed: { image: { repo: 'nginx', tag: true } },
  },
  {
    name: 'row 17e: --set image.tag=0x1F',
    opts: { set: ['image.tag=0x1F'] },
    changed: { image: { repo: 'nginx', tag: '0x1F' } },
  },
  {
    name: "row 18: --set 'n2=-0,n3=007,n4=1_000'",
    opts: { set: ['n2=-0,n3=007,n4=1_000'] },
    changed: { n2: 0, n3: '007', n4: '1_000' },
  },
  {
    name: "row 19: --set 'empty.map={}'",
    opts: { set: ['empty.map={}'] },
    changed: { empty: { map: [''] } },
  },
  {
    name: "row 20: --set 'key with space=v'",
    opts: { set: ['key with space=v'] },
    changed: { 'key with space': 'v' },
  },
  { name: 'row 21b: --set a=1, (trailing comma)', opts: { set: ['a=1,'] }, changed: { a: 1 } },
  {
    name: 'row 22: -f f1.yaml -f f2.yaml',
    opts: { valueFiles: ['f1.yaml', 'f2.yaml'] },
    changed: { image: { pullPolicy: 'Always', repo: 'nginx', tag: 'fromfile2' }, list: ['f1'] },
    removed: ['nested'],
  },
  {
    name: 'row 23: -f f1.yaml --set image.tag=cli',
    opts: { valueFiles: ['f1.yaml'], set: ['image.tag=cli'] },
    changed: { image: { pullPolicy: 'Always', repo: 'nginx', tag: 'cli' }, list: ['f1'] },
  },
  {
    name: 'row 24a: --set-string image.tag=S --set image.tag=N',
    opts: { setString: ['image.tag=S'], set: ['image.tag=N'] },
    changed: { image: { repo: 'nginx', tag: 'S' } },
  },
  {
    name: 'row 24b: --set image.tag=N --set-string image.tag=S (reverse order)',
    opts: { set: ['image.tag=N'], setString: ['image.tag=S'] },
    changed: { image: { repo: 'nginx', tag: 'S' } },
  },
  {
    name: 'row 25: --set-json \'image.tag="J"\' --set image.tag=N',
    opts: { setJson: ['image.tag="J"'], set: ['image.tag=N'] },
    changed: { image: { repo: 'nginx', tag: 'N' } },
  },
  {
    name: 'row 26: --set-json \'a=[1,2,{"b":null}],c={"d":1.5}\'',
    opts: { setJson: ['a=[1,2,{"b":null}],c={"d":1.5}'] },
    changed: { a: [1, 2, { b: null }], c: { d: 1.5 } },
  },
  {
    name: 'row 27: --set-json \'{"image":{"tag":"obj"},"z":1}\'',
    opts: { setJson: ['{"image":{"tag":"obj"},"z":1}'] },
    changed: { image: { repo: 'nginx', tag: 'obj' }, z: 1 },
  },
  { name: 'row 28: --set-json a=', opts: { setJson: ['a='] }, changed: { a: null } },
  {
    name: "row 29: --set-literal 'a=x,y.z={1,2}\\,='",
    opts: { setLiteral: ['a=x,y.z={1,2}\\,='] },
    changed: { a: 'x,y.z={1,2}\\,=' },
  },
  {
    name: 'row 30: --set-file script=data.txt',
    opts: { setFile: ['script=data.txt'] },
    changed: { script: 'line1\nline2,with,commas\n' },
  },
];

describe('helm-behaviour §3.3 --set table', () => {
  it.each(rows)('$name', async ({ opts, changed = {}, removed = [], warnings = [] }) => {
    const want: PlainObject = { ...DEFAULTS, ...changed };
    for (const key of removed) delete want[key];
    const got = await run(opts);
    expect(got.values).toStrictEqual(want);
    expect(got.warnings).toStrictEqual(warnings);
  });

  it.each([
    [
      'row 12: --set a=1 --set a.b=2',
      { set: ['a=1', 'a.b=2'] },
      /--set "a\.b=2": unable to parse key: "a" is a number, not a map/,
    ],
    ['row 21a: --set a', { set: ['a'] }, /--set "a": key "a" has no value$/],
  ])('%s fails', async (_name, opts: ValueOptions, message) => {
    await expect(run(opts)).rejects.toThrow(message);
  });

  it('keeps integer types: row 1 a is an integer, values-file 1000000 stays 1000000', async () => {
    FILES['big.yaml'] = 'count: 1000000\n';
    const { values } = await run({ valueFiles: ['big.yaml'], set: ['a=1'] });
    expect(values.count).toBe(1000000);
    expect(Number.isInteger(values.count)).toBe(true);
    expect(Number.isInteger(values.a)).toBe(true);
  });
});

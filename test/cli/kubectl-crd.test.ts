import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { tempDir } from '../helpers/chart-builder.js';

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd]}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                size: {type: integer}
`;

async function k(args: string[], home: string) {
  const io = memoryIO({ env: { BOSUN_HOME: home }, cwd: home });
  const code = await run(['k', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe('CustomResourceDefinitions register kinds', () => {
  it('a CRD makes its kind served (in later processes too), validated against its schema; deleting it removes the kind', async () => {
    const home = tempDir();
    const write = (name: string, text: string) => {
      writeFileSync(path.join(home, name), text);
      return name;
    };
    const widget = (name: string, size: string) =>
      `apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: ${name}\nspec:\n  size: ${size}\n`;
    expect((await k(['apply', '-f', write('w0.yaml', widget('w0', '1'))], home)).err).toBe(
      `error: resource mapping not found for name: "w0" namespace: "" from "w0.yaml": no matches for kind "Widget" in version "example.com/v1"\nensure CRDs are installed first\n`,
    );
    expect((await k(['apply', '-f', write('crd.yaml', CRD)], home)).out).toBe(
      'customresourcedefinition.apiextensions.k8s.io/widgets.example.com created\n',
    );
    // Each run() opens the cluster again, as a new process does: the stored CRD is registered on open.
    expect(await k(['apply', '-f', write('w1.yaml', widget('w1', '3'))], home)).toMatchObject({
      code: 0,
      out: 'widget.example.com/w1 created\n',
    });
    expect((await k(['get', 'wd', '-o', 'name'], home)).out).toBe('widget.example.com/w1\n');
    const bad = await k(['apply', '-f', write('w2.yaml', widget('w2', 'big'))], home);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('The Widget "w2" is invalid: spec.size');
    expect((await k(['delete', 'crd', 'widgets.example.com'], home)).code).toBe(0);
    expect((await k(['get', 'wd'], home)).err).toBe('error: the server doesn\'t have a resource type "wd"\n');
    // Its objects went with it: defining the kind again finds none.
    expect((await k(['apply', '-f', 'crd.yaml'], home)).code).toBe(0);
    expect(await k(['get', 'widgets'], home)).toMatchObject({
      out: '',
      err: 'No resources found in default namespace.\n',
    });
  });
});

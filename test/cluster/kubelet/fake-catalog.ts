/**
 * A small image catalog for the kubelet's tests: images declared by the test (pull time, size,
 * ports, start-up, exit, SIGTERM handling, logs, HTTP routes, exec commands), looked up by their
 * canonical name; anything else fails to pull as containerd reports a missing tag. `push` adds an
 * image later (a `docker push` to a registry).
 */

import { createHash } from 'node:crypto';
import { parseImageReference } from '../../../src/cluster/images/reference.js';
import type {
  CatalogImage,
  ContainerContext,
  ExecResult,
  HttpAnswer,
  ImageCatalog,
  LogLine,
  ProcessBehaviour,
  ProcessSpec,
} from '../../../src/cluster/images/types.js';

/** How a fake image's containers behave. */
export interface FakeProcess {
  readonly startupMs?: number;
  readonly ports?: readonly number[];
  readonly exit?: {
    readonly afterMs: number;
    readonly code: number;
    readonly reason?: 'Completed' | 'Error' | 'OOMKilled';
  };
  readonly ignoresSigterm?: boolean;
  readonly startError?: string;
  /** A line every `everyMs` from the start (`line 1`, `line 2`…), or fixed lines at offsets. */
  readonly logEveryMs?: number;
  readonly logLines?: readonly (readonly [number, string])[];
  /** HTTP answers per `port path`. */
  readonly routes?: Readonly<Record<string, HttpAnswer>>;
  /** Exec results per command line (`cat /tmp/healthy`); `env` prints the environment; `echo …` echoes. */
  readonly commands?: Readonly<Record<string, ExecResult>>;
}

/** A fake image. */
export interface FakeImage {
  readonly pullMs?: number;
  readonly sizeBytes?: number;
  /** The behaviour, possibly depending on how the container is started. */
  readonly process?: FakeProcess | ((spec: ProcessSpec) => FakeProcess);
}

/** The fake catalog, with a log of the behaviours it built. */
export interface FakeCatalog extends ImageCatalog {
  push(name: string, image: FakeImage): void;
  /** The specs containers were started with (newest last). */
  readonly started: ProcessSpec[];
  /** The contexts behaviours were built with. */
  readonly contexts: ContainerContext[];
}

function behaviourOf(p: FakeProcess): ProcessBehaviour {
  return {
    startupMs: p.startupMs ?? 0,
    ports: (p.ports ?? []).map((port) => ({ port, protocol: 'TCP' as const })),
    ...(p.exit === undefined ? {} : { exit: p.exit }),
    ...(p.startError === undefined ? {} : { startError: p.startError }),
    ignoresSigterm: p.ignoresSigterm ?? false,
    logs(_ctx, startedAt, until) {
      const lines: LogLine[] = [];
      for (const [at, text] of p.logLines ?? [])
        if (startedAt + at <= until) lines.push({ time: startedAt + at, text });
      if (p.logEveryMs !== undefined) {
        for (let i = 1; startedAt + i * p.logEveryMs <= until && i <= 10_000; i++) {
          lines.push({ time: startedAt + i * p.logEveryMs, text: `line ${i}` });
        }
      }
      return lines.sort((a, b) => a.time - b.time);
    },
    http(request) {
      if (!(p.ports ?? []).includes(request.port)) return undefined;
      return p.routes?.[`${request.port} ${request.path}`] ?? { status: 404, body: 'not found\n' };
    },
    exec(argv, ctx) {
      const line = argv.join(' ');
      const known = p.commands?.[line];
      if (known !== undefined) return known;
      if (argv[0] === 'env') {
        const out = Object.entries(ctx.env)
          .map(([k, v]) => `${k}=${v}\n`)
          .join('');
        return { stdout: out, stderr: '', exitCode: 0 };
      }
      if (argv[0] === 'echo') return { stdout: `${argv.slice(1).join(' ')}\n`, stderr: '', exitCode: 0 };
      if (argv[0] === 'cat' && argv[1] !== undefined) {
        const text = ctx.readFile?.(argv[1]);
        if (text !== undefined) return { stdout: text, stderr: '', exitCode: 0 };
        return {
          stdout: '',
          stderr: `cat: can't open '${argv[1]}': No such file or directory\n`,
          exitCode: 1,
        };
      }
      return {
        stdout: '',
        stderr: `OCI runtime exec failed: exec failed: unable to start container process: exec: "${argv[0]}": executable file not found in $PATH: unknown\n`,
        exitCode: 126,
      };
    },
  };
}

/** A catalog of the given images (keys as written: `nginx:1.13.11`, `busybox`). */
export function fakeCatalog(images: Readonly<Record<string, FakeImage>>): FakeCatalog {
  const known = new Map<string, FakeImage>();
  const add = (name: string, image: FakeImage): void => {
    const ref = parseImageReference(name);
    if (ref === undefined) throw new Error(`bad fake image ${name}`);
    known.set(ref.canonical, image);
  };
  for (const [name, image] of Object.entries(images)) add(name, image);
  const started: ProcessSpec[] = [];
  const contexts: ContainerContext[] = [];
  return {
    started,
    contexts,
    push: add,
    parse: (raw) => parseImageReference(raw),
    pull(raw) {
      const ref = parseImageReference(raw);
      if (ref === undefined)
        return { ok: false, reason: 'InvalidImageName', message: 'invalid reference format' };
      const image = known.get(ref.canonical);
      if (image === undefined) {
        const c = ref.canonical;
        return {
          ok: false,
          reason: 'ErrImagePull',
          message: `rpc error: code = NotFound desc = failed to pull and unpack image "${c}": failed to resolve reference "${c}": ${c}: not found`,
        };
      }
      const catalogImage: CatalogImage = {
        reference: ref,
        digest: `sha256:${createHash('sha256').update(ref.canonical).digest('hex')}`,
        sizeBytes: image.sizeBytes ?? 1_000_000,
        pullMs: image.pullMs ?? 0,
        entry: ref.canonical,
      };
      return { ok: true, image: catalogImage };
    },
    behaviour(image, spec, context) {
      const fake = known.get(image.reference.canonical);
      if (fake === undefined) throw new Error(`unknown image ${image.reference.canonical}`);
      started.push(spec);
      if (context !== undefined) contexts.push(context);
      const p = typeof fake.process === 'function' ? fake.process(spec) : (fake.process ?? {});
      return behaviourOf(p);
    },
  };
}

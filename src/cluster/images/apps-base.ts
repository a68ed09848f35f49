/**
 * What every program kind builds on: the start description, log lines filled in for the
 * container, plain HTTP answers, catalog routes, argument flags, a program that fails at once,
 * and the data-driven `server` kind (which `startApp` falls back to and `apiserver` extends).
 */

import type { PortSpec, RouteSpec } from './catalog-data.js';
import { GO_NOT_FOUND } from './pages.js';
import type { ResolvedImage } from './resolved.js';
import { fillTemplate } from './text.js';
import { type AppProcess, type LogWindow, type TimedLine, windowed } from './timeline.js';
import type { ContainerContext, HttpAnswer, HttpRequest, LogLine, Vantage } from './types.js';

/** A pushed image as the registry program lists it. */
export interface StoredImage {
  readonly reference: string;
  readonly pushedAt: string;
}

/** What starting a program takes. */
export interface AppStart {
  readonly image: ResolvedImage;
  /** The full command line (entrypoint and arguments). */
  readonly argv: readonly string[];
  /** The process environment in the container. */
  envOf(ctx: ContainerContext | undefined): Readonly<Record<string, string>>;
  /** The container at start, when known (files, network). */
  readonly context?: ContainerContext;
  /** The images pushed to the simulated registries. */
  pushed(): readonly StoredImage[];
}

export type Port = { readonly port: number; readonly protocol: 'TCP' | 'UDP'; readonly tls?: boolean };

export const toPorts = (ports: readonly PortSpec[]): Port[] =>
  ports.map((p) => ({ port: p.port, protocol: p.protocol ?? 'TCP', ...(p.tls ? { tls: true } : {}) }));

/** The vantage point of a container. */
export function vantageOf(ctx: ContainerContext): Vantage {
  return { kind: 'pod', namespace: ctx.namespace, podIP: ctx.podIP, nodeName: ctx.nodeName };
}

/** The time of a request or command in a container. */
export function nowOf(ctx: ContainerContext): number {
  return ctx.now ?? ctx.startedAt ?? 0;
}

function templateValues(
  ctx: ContainerContext,
  image: ResolvedImage,
  time: number,
  port = '',
): Parameters<typeof fillTemplate>[1] {
  return {
    pod: ctx.podName,
    ip: ctx.podIP,
    namespace: ctx.namespace,
    node: ctx.nodeName,
    version: image.version,
    port,
    time,
  };
}

/** Catalog log lines (`LogSpec`) as timed lines. */
export function startLines(image: ResolvedImage, specs = image.logs): TimedLine[] {
  return specs.map((spec) => {
    if (typeof spec === 'string') return { at: 0, text: spec, stream: 'stdout' as const };
    if (Array.isArray(spec))
      return { at: spec[0] as number, text: spec[1] as string, stream: 'stdout' as const };
    const s = spec as { at?: number; text: string; stream: 'stdout' | 'stderr' };
    return { at: s.at ?? 0, text: s.text, stream: s.stream };
  });
}

/** Fixed lines from the start, filled in for the container. */
export function fixedLogs(
  image: ResolvedImage,
  lines: readonly TimedLine[],
): (ctx: ContainerContext, startedAt: number, until: number, window?: LogWindow) => LogLine[] {
  return (ctx, startedAt, until, window) => {
    const out: LogLine[] = [];
    for (const line of lines) {
      const time = startedAt + line.at;
      if (time > until) continue;
      out.push({
        time,
        text: fillTemplate(line.text, templateValues(ctx, image, time)),
        stream: line.stream,
      });
    }
    return windowed(out, window);
  };
}

export const text = (
  body: string,
  status = 200,
  contentType = 'text/plain; charset=utf-8',
  headers: Record<string, string> = {},
): HttpAnswer => ({
  status,
  headers: { 'Content-Type': contentType, ...headers },
  body,
});

function matchRoute(routes: readonly RouteSpec[], request: HttpRequest): RouteSpec | undefined {
  const path = request.path.split('?')[0] ?? '/';
  const fits = (r: RouteSpec) =>
    (r.port === undefined || r.port === request.port) &&
    (r.method === undefined || r.method === request.method.toUpperCase());
  return (
    routes.find((r) => fits(r) && r.path === path) ??
    routes.find((r) => fits(r) && r.path.endsWith('*') && request.path.startsWith(r.path.slice(0, -1)))
  );
}

function routeAnswer(route: RouteSpec, ctx: ContainerContext, image: ResolvedImage): HttpAnswer {
  const fill = (s: string) => fillTemplate(s, templateValues(ctx, image, nowOf(ctx)));
  return {
    status: route.status ?? 200,
    headers: { 'Content-Type': route.contentType ?? 'text/plain; charset=utf-8', ...(route.headers ?? {}) },
    body: fill(route.body),
  };
}

/** `--flag=value` or `--flag value` in an argument list. */
export function flagValue(argv: readonly string[], ...names: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    for (const name of names) {
      if (a === name) return argv[i + 1];
      if (a.startsWith(`${name}=`)) return a.slice(name.length + 1);
    }
  }
  return undefined;
}

/** A program that exits at once with an error (a missing configuration, a refused flag). */
export function failing(
  image: ResolvedImage,
  lines: readonly TimedLine[],
  code = 1,
  afterMs = 100,
): AppProcess {
  return {
    startupMs: 0,
    ports: [],
    exit: { afterMs, code, reason: 'Error' },
    ignoresSigterm: false,
    logs: fixedLogs(image, lines),
    http: () => undefined,
  };
}

/** The data-driven `server`: its ports, its catalog routes, Go's 404 for the rest. */
export function server(start: AppStart): AppProcess {
  const { image, argv } = start;
  const oneShot = Object.entries(image.oneShot).find(
    ([key]) => key === '*' || argv.some((a) => a === key || a.endsWith(`/${key}`)),
  );
  if (oneShot) {
    return {
      startupMs: 0,
      ports: [],
      exit: { afterMs: oneShot[1], code: 0, reason: 'Completed' },
      ignoresSigterm: false,
      logs: fixedLogs(
        image,
        startLines(image).filter((l) => l.at <= oneShot[1]),
      ),
      http: () => undefined,
    };
  }
  const ports = toPorts(image.ports);
  return {
    startupMs: image.startupMs,
    ports,
    ignoresSigterm: image.ignoresSigterm,
    logs: fixedLogs(image, startLines(image)),
    http(request, ctx) {
      if (!ports.some((p) => p.port === request.port && p.protocol === 'TCP')) return undefined;
      const route = matchRoute(image.routes, request);
      if (route) return routeAnswer(route, ctx, image);
      return text(GO_NOT_FOUND);
    },
  };
}

/**
 * How a container of a catalog image behaves when started with a command, arguments and an
 * environment. The command line is put together as the runtime does (`command` replaces the
 * ENTRYPOINT, `args` the CMD); the image's own program runs its kind (`apps.ts`); anything else
 * runs in the container shell (`shell.ts`): `sleep 3600`, `ping 1.1.1.1`, `sh -c "…"`. A base
 * image run with no command runs its shell or `python3`, which ends at once without a TTY.
 */

import { type StoredImage, startApp } from './apps.js';
import './commands.js';
import { infoOf, type ResolvedImage, withInfo } from './resolved.js';
import { runExec, runMain, type ShellRun } from './shell.js';
import { filesAt, type Timeline, timelineHttp, timelineLogs } from './timeline.js';
import type { ContainerContext, ProcessBehaviour, ProcessSpec } from './types.js';

/** What building a behaviour needs besides the image and the spec. */
export interface BehaviourServices {
  /** The images pushed to the simulated registries (the registry program lists them). */
  pushed(): readonly StoredImage[];
}

/** The runtime's message when the command's binary is not in the image (reason `StartError`). */
export function startErrorMessage(binary: string): string {
  const why = binary.includes('/')
    ? `stat ${binary}: no such file or directory`
    : 'executable file not found in $PATH';
  return `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: "${binary}": ${why}: unknown`;
}

/** The command line the runtime starts: ENTRYPOINT/`command`, then CMD/`args`. */
export function commandLine(image: ResolvedImage, spec: Pick<ProcessSpec, 'command' | 'args'>): string[] {
  const head = spec.command ?? image.entrypoint;
  const tail = spec.args ?? (spec.command !== undefined ? [] : image.cmd);
  return [...head, ...tail];
}

/** The process environment: HOSTNAME, the image's ENV, the container's variables, HOME. */
export function processEnvironment(
  image: ResolvedImage,
  spec: ProcessSpec,
  ctx: ContainerContext | undefined,
): Record<string, string> {
  const env: Record<string, string> = {};
  const container = { ...spec.env, ...(ctx?.env ?? {}) };
  env.HOSTNAME = container.HOSTNAME ?? ctx?.podName ?? 'localhost';
  for (const [k, v] of Object.entries(image.env)) env[k] = v;
  for (const [k, v] of Object.entries(container)) if (k !== 'HOSTNAME') env[k] = v;
  if (env.PATH === undefined) env.PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
  if (env.HOME === undefined) env.HOME = '/root';
  if (spec.tty) env.TERM ??= 'xterm';
  return env;
}

const SHELLS = new Set(['sh', 'ash', 'dash', 'bash']);
const INTERPRETERS = new Set(['python', 'python2', 'python3', 'ruby', 'node']);
const basename = (s: string) => s.slice(s.lastIndexOf('/') + 1);

/** Whether a command line starts the image's own program (rather than a tool or a shell). */
function runsProgram(image: ResolvedImage, argv: readonly string[]): boolean {
  if (image.app === 'shell' || argv.length === 0) return false;
  const name = basename(argv[0]!);
  if (SHELLS.has(name)) return false;
  // An entrypoint script hands over to a command it is given (`exec "$@"`): `nginx -- sleep 10`.
  const next = argv[1];
  if (
    name.endsWith('.sh') &&
    next !== undefined &&
    !next.startsWith('-') &&
    !image.binaries.has(basename(next))
  ) {
    if (image.tools.has(basename(next))) return false;
  }
  if (image.binaries.has(name)) {
    return !INTERPRETERS.has(name) || (argv[1] !== undefined && image.binaries.has(basename(argv[1])));
  }
  return image.anyCommandRuns && !image.tools.has(name);
}

/** Builds the behaviour of a container of `image` started as `spec`. */
export function buildBehaviour(
  image: ResolvedImage,
  spec: ProcessSpec,
  context: ContainerContext | undefined,
  services: BehaviourServices,
): ProcessBehaviour {
  const argv = commandLine(image, spec);
  const envOf = (ctx: ContainerContext | undefined) => processEnvironment(image, spec, ctx ?? context);
  const info = { app: image.app, entry: image.entry, version: image.version };
  const startAbs = context?.startedAt ?? context?.now ?? 0;
  // The container's own main process, for `localhost` inside it (exec probes: `redis-cli ping`).
  let self: ProcessBehaviour | undefined;
  const localListener = (ctx: ContainerContext | undefined, now: number) => (port: number) => {
    const started = ctx?.startedAt ?? startAbs;
    if (self === undefined || now - started < self.startupMs) return undefined;
    return self.ports.some((p) => p.port === port && p.protocol === 'TCP') ? self : undefined;
  };
  const runFor = (
    ctx: ContainerContext | undefined,
    start: number,
    mode: 'main' | 'exec',
    files?: ReadonlyMap<string, string>,
  ): ShellRun => ({
    image,
    context: ctx,
    env: envOf(ctx),
    startAbs: start,
    nowOffset: mode === 'main' ? Math.max(0, (ctx?.now ?? start) - start) : 0,
    tty: spec.tty === true,
    stdinOpen: spec.stdin === true,
    ...(files ? { files } : {}),
    startApp: (a) =>
      startApp({ image, argv: a, envOf, ...(ctx ? { context: ctx } : {}), pushed: services.pushed }),
    mainArgv: argv,
    mode,
    ...(mode === 'exec' ? { local: localListener(ctx, start) } : {}),
  });
  const exec =
    (timeline: () => Timeline | undefined) =>
    (command: readonly string[], ctx: ContainerContext, stdin?: string) => {
      const started = ctx.startedAt ?? startAbs;
      const now = ctx.now ?? started;
      const t = timeline();
      const files = t === undefined ? undefined : filesAt(t, now - started);
      const result = runExec(command, runFor(ctx, now, 'exec', files), stdin);
      return {
        stdout: result.stdout,
        stderr: result.stderr,
        exitCode: result.exitCode,
        durationMs: result.durationMs,
      };
    };

  if (argv.length === 0) {
    const message =
      'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: no command specified: unknown';
    return withInfo(stopped(message), info);
  }

  if (runsProgram(image, argv)) {
    const app = startApp({ image, argv, envOf, ...(context ? { context } : {}), pushed: services.pushed });
    const behaviour: ProcessBehaviour = {
      startupMs: app.startupMs,
      ports: app.ports,
      ...(app.exit ? { exit: app.exit } : {}),
      ignoresSigterm: app.ignoresSigterm,
      logs: (ctx, startedAt, until, window) => app.logs(ctx, startedAt, until, window),
      http: (request, ctx) => app.http(request, ctx),
      exec: exec(() => undefined),
    };
    self = behaviour;
    return withInfo(behaviour, infoOf(app as ProcessBehaviour) ?? info);
  }

  const first = argv[0]!;
  const base = basename(first);
  const onPath = image.tools.has(base) || image.binaries.has(base);
  if (!onPath) return withInfo(stopped(startErrorMessage(first)), info);

  // Evaluated once for the start this behaviour is built for, again for another start time.
  let memo: { start: number; timeline: Timeline } | undefined;
  const timelineAt = (start: number, ctx: ContainerContext | undefined): Timeline => {
    if (memo?.start === start) return memo.timeline;
    const timeline = runMain(argv, runFor(ctx, start, 'main'));
    memo = { start, timeline };
    return timeline;
  };
  const timeline = timelineAt(startAbs, context);
  const end = timeline.end;
  const app = end.kind === 'app' ? end.app : undefined;
  const exit =
    end.kind === 'exit'
      ? {
          afterMs: end.at,
          code: end.code,
          reason: end.code === 0 ? ('Completed' as const) : ('Error' as const),
        }
      : app?.exit
        ? { ...app.exit, afterMs: end.at + app.exit.afterMs }
        : undefined;
  const behaviour: ProcessBehaviour = {
    startupMs: app ? end.at + app.startupMs : 0,
    ports: app ? app.ports : [],
    ...(exit ? { exit } : {}),
    // A shell, `sleep` or `ping` as PID 1 has no SIGTERM handler: the kernel ignores the signal
    // (unless the script traps it).
    ignoresSigterm: app && end.kind === 'app' && end.at === 0 ? app.ignoresSigterm : !trapsTerm(argv),
    logs: (ctx, startedAt, until, window) =>
      timelineLogs(timelineAt(startedAt, ctx), ctx, startedAt, until, window),
    http: (request, ctx) => timelineHttp(timelineAt(ctx.startedAt ?? startAbs, ctx), request, ctx),
    exec: exec(() => memo?.timeline),
    ...(timeline.recheckMs !== undefined ? { recheckMs: timeline.recheckMs } : {}),
  };
  self = behaviour;
  return withInfo(behaviour, (app && infoOf(app as ProcessBehaviour)) ?? info);
}

/** Whether a script installs a SIGTERM handler (`trap 'exit 0' TERM`). */
function trapsTerm(argv: readonly string[]): boolean {
  return /\btrap\b[^;\n]*\s(SIG)?(TERM|15)\b/.test(argv.join(' '));
}

/** A container that cannot start: exit 128 at once, with the runtime's message. */
function stopped(message: string): ProcessBehaviour {
  return {
    startupMs: 0,
    ports: [],
    exit: { afterMs: 0, code: 128, reason: 'Error' },
    startError: message,
    ignoresSigterm: false,
    logs: () => [],
    http: () => undefined,
    exec: () => ({
      stdout: '',
      stderr: 'error: unable to upgrade connection: container not found\n',
      exitCode: 1,
    }),
  };
}

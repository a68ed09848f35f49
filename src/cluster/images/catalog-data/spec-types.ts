/**
 * The catalog's types: the bases and program kinds an image can have, its pull-time class, and the
 * shape of a repository's entry with its per-tag variants.
 */

/** The base a filesystem comes from: its shell and its tools. */
export type OsFlavour =
  | 'busybox'
  | 'alpine'
  | 'debian'
  | 'ubuntu'
  | 'centos'
  | 'oraclelinux'
  | 'scratch'
  | 'distroless';

/** How an image's program behaves (implemented in `apps.ts`). */
export type AppKind =
  | 'shell'
  | 'nginx'
  | 'httpenv'
  | 'color'
  | 'sleepy'
  | 'flask'
  | 'elasticsearch'
  | 'kibana'
  | 'rng'
  | 'hasher'
  | 'worker'
  | 'webui'
  | 'redis'
  | 'postgres'
  | 'mysql'
  | 'mongo'
  | 'consul'
  | 'registry'
  | 'traefik'
  | 'haproxy'
  | 'apiserver'
  | 'server';

/** Pull-time classes (image-catalog §2.3): under 1 s, 2–5 s, 10–30 s on a node without the image. */
export type PullClass = 'tiny' | 'medium' | 'large';

/** A port a program listens on. */
export interface PortSpec {
  readonly port: number;
  readonly protocol?: 'TCP' | 'UDP';
  /** The port speaks HTTPS. */
  readonly tls?: boolean;
}

/** A fixed HTTP answer of a `server` (or an extra one of another kind). */
export interface RouteSpec {
  /** The path; a trailing `*` matches a prefix. */
  readonly path: string;
  /** Only on this port (any when absent). */
  readonly port?: number;
  readonly method?: string;
  /** @default 200 */
  readonly status?: number;
  /** @default 'text/plain; charset=utf-8' */
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** The body; `{pod}`, `{ip}`, `{namespace}`, `{node}`, `{version}` and `{epoch}` are filled in. */
  readonly body: string;
}

/** A log line of a program's start: text, or `[msAfterStart, text]`, or with its stream. */
export type LogSpec =
  | string
  | readonly [number, string]
  | { readonly at?: number; readonly text: string; readonly stream: 'stdout' | 'stderr' };

/** What differs between tags of one repository. */
export interface ImageVariant {
  readonly description?: string;
  readonly app?: AppKind;
  readonly os?: OsFlavour;
  readonly sizeMB?: number;
  readonly pull?: PullClass;
  readonly version?: string;
  readonly ports?: readonly PortSpec[];
  readonly startupMs?: number;
  readonly ignoresSigterm?: boolean;
  readonly entrypoint?: readonly string[];
  readonly cmd?: readonly string[];
  readonly binaries?: readonly string[];
  readonly anyCommandRuns?: boolean;
  readonly tools?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly logs?: readonly LogSpec[];
  readonly routes?: readonly RouteSpec[];
  /** App-specific settings (the worker's loop sleep, …). */
  readonly settings?: Readonly<Record<string, string | number | boolean>>;
  /**
   * Command lines that run to completion (exit 0) after so many ms instead of serving: keyed by
   * the program's name or one of its arguments (`init.sh`, `init`), or `*` for every command line.
   */
  readonly oneShot?: Readonly<Record<string, number>>;
}

/** One repository of the catalog. */
export interface ImageSpec extends ImageVariant {
  /** The familiar name: `nginx`, `dockercoins/worker`, `quay.io/prometheus/prometheus`. */
  readonly name: string;
  readonly description: string;
  readonly app: AppKind;
  readonly os: OsFlavour;
  readonly sizeMB: number;
  readonly pull: PullClass;
  /** The tags that exist. */
  readonly tags: readonly string[];
  /** Per-tag differences (a tag not listed here uses the repository's values). */
  readonly variants?: Readonly<Record<string, ImageVariant>>;
}

/**
 * The image catalog's contract: how an image reference resolves (or fails to pull), and how a
 * container of a catalog image behaves when started with a command, arguments and environment —
 * what it listens on, when it is up, whether and how it exits, what it logs, how it answers HTTP
 * and which commands `exec` can run in it. The catalog is data (`catalog-data.ts`); the kubelet
 * and the network view read it through these types. Nothing here runs anything.
 */

/** A parsed image reference (`nginx` → `docker.io/library/nginx:latest`). */
export interface ImageReference {
  /** As written in the pod spec. */
  readonly raw: string;
  /** `docker.io`, `quay.io`, `registry.k8s.io`, `127.0.0.1:31500`… */
  readonly registry: string;
  /** `library/nginx`, `dockercoins/worker`. */
  readonly repository: string;
  /** The tag (`latest` when none was written and no digest was). */
  readonly tag: string;
  /** `sha256:…` when written with a digest. */
  readonly digest?: string;
  /** `docker.io/library/nginx:1.13.11` (what containerd reports as the image). */
  readonly canonical: string;
}

/** A catalog image, resolved. */
export interface CatalogImage {
  readonly reference: ImageReference;
  /** `sha256:<64 hex>`, stable per canonical name (the `imageID` of container statuses). */
  readonly digest: string;
  /** Compressed size in bytes (the `Pulled` event says it). */
  readonly sizeBytes: number;
  /** How long a pull takes on a node that does not have it yet (ms). */
  readonly pullMs: number;
  /** The catalog entry's name (`nginx`, `dockercoins/worker:v0.1`), for the behaviour lookup. */
  readonly entry: string;
}

/** The outcome of a pull. */
export type PullOutcome =
  | { readonly ok: true; readonly image: CatalogImage }
  | {
      readonly ok: false;
      /** `InvalidImageName` (never retried) or `ErrImagePull` (retried with back-off). */
      readonly reason: 'InvalidImageName' | 'ErrImagePull';
      /** containerd's wording, for the `Failed` event (`failed to pull and unpack image …`). */
      readonly message: string;
      /** The CRI status code behind the message (`rpc error: code = NotFound desc = …`). */
      readonly code?: 'NotFound' | 'Unknown';
    };

/** What a container is started with. */
export interface ProcessSpec {
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  /** Resolved environment (pod env, envFrom, service links, downward API). */
  readonly env: Readonly<Record<string, string>>;
  readonly tty?: boolean;
  readonly stdin?: boolean;
}

/** Where a container runs (for log lines, HTTP answers and exec output that name it). */
export interface ContainerContext {
  readonly namespace: string;
  readonly podName: string;
  readonly containerName: string;
  readonly podIP: string;
  readonly nodeName: string;
  readonly env: Readonly<Record<string, string>>;
  /** The network as the container sees it (DNS, connections), for commands and app dependencies. */
  readonly network: NetworkView;
  /** When the container started (ms since the epoch), for answers that depend on its age. */
  readonly startedAt?: number;
  /** The time of the request or command (ms since the epoch); the container's start when absent. */
  readonly now?: number;
  /** The content of a file the pod mounts (ConfigMap, Secret, downward API, service account), if any. */
  readonly readFile?: (path: string) => string | undefined;
  /** The entries of a mounted directory (`ls`), or undefined when nothing is mounted there. */
  readonly listDir?: (path: string) => readonly DirectoryEntry[] | undefined;
}

/** One entry of a mounted directory. */
export interface DirectoryEntry {
  readonly name: string;
  /** A symlink's target (ConfigMap volumes link `key -> ..data/key`). */
  readonly target?: string;
  readonly size?: number;
  readonly directory?: boolean;
}

/** One log line with its time (ms since the epoch). */
export interface LogLine {
  readonly time: number;
  readonly text: string;
  /** stderr lines are logged too; kept for fidelity. */
  readonly stream?: 'stdout' | 'stderr';
}

/** An HTTP request to a container. */
export interface HttpRequest {
  readonly method: string;
  readonly path: string;
  readonly port: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** The client's address (the color image prints it). */
  readonly clientIP?: string;
}

/** How a container answers. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: string;
  /** Time to answer (ms); a probe times out when above its timeoutSeconds. */
  readonly delayMs?: number;
}

/** What `exec` (or a probe's exec handler) gets back. */
export interface ExecResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
  /** How long the command ran (ms). */
  readonly durationMs?: number;
}

/** How a started container behaves. */
export interface ProcessBehaviour {
  /** From start until its ports answer (ms). */
  readonly startupMs: number;
  /** What it listens on once up (`tls`: the port speaks HTTPS). */
  readonly ports: readonly {
    readonly port: number;
    readonly protocol: 'TCP' | 'UDP';
    readonly tls?: boolean;
  }[];
  /** When it exits by itself (ms after start) and with which code; undefined = runs until stopped. */
  readonly exit?: {
    readonly afterMs: number;
    readonly code: number;
    readonly reason?: 'Completed' | 'Error' | 'OOMKilled';
  };
  /**
   * The container cannot start (an exec-form command whose binary the image lacks): the runtime's
   * message (`… exec: "foo": executable file not found in $PATH: unknown`), reported with
   * reason `StartError`; `exit` then says code 128 at once.
   */
  readonly startError?: string;
  /**
   * The process waits on the cluster (`until nslookup mydb; do sleep 2; done`): its `exit` is what
   * the cluster allowed when the behaviour was built. Build it again (with `now` in the context)
   * after this many ms to see whether it can end now.
   */
  readonly recheckMs?: number;
  /** PID 1 ignores SIGTERM: it goes only when the grace period ends (SIGKILL, exit 137). */
  readonly ignoresSigterm: boolean;
  /**
   * Log lines between `startedAt` and `until` (ms), oldest first. `window` keeps only the lines
   * at or after `sinceMs` and at most the last `tailLines` (cheap for long-running loops); without
   * it, a long log is cut to the last 10 MiB, as the kubelet rotates container logs.
   */
  logs(
    ctx: ContainerContext,
    startedAt: number,
    until: number,
    window?: { readonly sinceMs?: number; readonly tailLines?: number },
  ): readonly LogLine[];
  /** The answer on `request.port`; undefined when nothing serves HTTP there (connection refused or not HTTP). */
  http(request: HttpRequest, ctx: ContainerContext): HttpAnswer | undefined;
  /** Runs a command in the container (`kubectl exec`, exec probes). */
  exec(argv: readonly string[], ctx: ContainerContext, stdin?: string): ExecResult;
}

/** The catalog. */
export interface ImageCatalog {
  /** Parses a reference; undefined when it is not a valid image name. */
  parse(raw: string): ImageReference | undefined;
  /** Pulls an image: found in the catalog or the simulated registry, or why not. */
  pull(raw: string): PullOutcome;
  /**
   * How a container of `image` started as `spec` behaves. Give `context` (with `startedAt`) when
   * the container starts: commands that touch the network (`curl -m3 $IP`, `nslookup`) then
   * settle their outcome, and with it `exit`, against the network of that moment.
   */
  behaviour(image: CatalogImage, spec: ProcessSpec, context?: ContainerContext): ProcessBehaviour;
}

/** The result of connecting to an address from a pod, a node or outside. */
export type Connection =
  | {
      readonly ok: true;
      /** The pod that answers, and how. */
      readonly namespace: string;
      readonly podName: string;
      readonly podIP: string;
      readonly port: number;
      readonly behaviour: ProcessBehaviour;
      readonly context: ContainerContext;
      /** Set for a host outside the cluster (`google.com`): there is no pod, namespace and name are ''. */
      readonly external?: string;
    }
  | {
      readonly ok: false;
      /** `refused` (nothing listens), `timeout` (dropped), `unreachable` (no route). */
      readonly error: 'refused' | 'timeout' | 'unreachable';
    };

/** Where a connection comes from. */
export interface Vantage {
  /** A pod (its namespace and IP), a node (its name) or outside the cluster. */
  readonly kind: 'pod' | 'node' | 'external';
  readonly namespace?: string;
  readonly podIP?: string;
  readonly nodeName?: string;
}

/** The cluster network as seen from a vantage point (DNS and connections). */
export interface NetworkView {
  /** DNS: the addresses of a name (`redis`, `redis.default.svc.cluster.local`, a pod name record), or undefined (NXDOMAIN). */
  resolve(
    name: string,
    from: Vantage,
  ): { readonly addresses: readonly string[]; readonly canonicalName: string } | undefined;
  /** A TCP connection to `ip:port` (ClusterIP → a ready endpoint, round robin; pod IP; node IP + NodePort). */
  connect(ip: string, port: number, from: Vantage): Connection;
  /** The PTR name of an address (`kube-dns.kube-system.svc.cluster.local`), as nslookup prints it. */
  reverse?(ip: string, from: Vantage): string | undefined;
  /** Whether an ICMP echo to `ip` is answered (pods, nodes, the internet; not ClusterIPs). */
  pingable?(ip: string, from: Vantage): boolean;
  /**
   * Since when (ms since the epoch) `name:port` has resolved and accepted connections, judged
   * from the objects' timestamps; undefined when it does not now. Apps that retry (the
   * DockerCoins worker) use it to tell when they recovered.
   */
  reachableSince?(name: string, port: number, from: Vantage): number | undefined;
  /** The running containers of a namespace, for apps that sum what their peers did (the DockerCoins web UI). */
  containers?(namespace: string): readonly RunningContainer[];
}

/** A running container as the network view sees it. */
export interface RunningContainer {
  readonly image: string;
  readonly startedAt: number;
  readonly behaviour: ProcessBehaviour;
  readonly context: ContainerContext;
}

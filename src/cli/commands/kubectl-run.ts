/**
 * The handlers of `bosun kubectl` (loaded on first use): flags → action options → `run()` →
 * printing. Each opens the embedded cluster of `$BOSUN_HOME` for the one command; the namespace
 * is `-n`, else the current context's.
 */

import {
  ApplyAction,
  apiResources,
  CreateAction,
  collectData,
  configMapObject,
  currentContext,
  DeleteAction,
  DescribeAction,
  deploymentObject,
  EXPORT_DEPRECATION,
  exportObject,
  GetAction,
  type GetResult,
  getContexts,
  LabelAction,
  namespaceObject,
  PatchAction,
  readManifests,
  secretObject,
  serviceAccountObject,
  serviceObject,
  setContext,
  usageError,
  useContext,
  versionInfo,
  viewConfig,
  WatchAction,
} from '../../action/kubectl/index.js';
import { toYaml } from '../../internal/yaml.js';
import type { PatchType } from '../../kube/index.js';
import type { CliIO } from '../io.js';
import {
  formatRows,
  isTableOutput,
  printGetResult,
  printWatchedChange,
  reportErrors,
} from './kubectl-output.js';
import {
  type Connected,
  connected,
  dryRun,
  generated,
  integer,
  type KubectlFlags,
  manifestSources,
  printWrite,
  requestTimeout,
  runSession,
  type Session,
  validation,
} from './kubectl-session.js';

export type { KubectlFlags } from './kubectl-session.js';

/** The kubectl commands bosun implements. */
export type KubectlVerb =
  | 'get'
  | 'describe'
  | 'apply'
  | 'create'
  | 'create-namespace'
  | 'create-serviceaccount'
  | 'create-configmap'
  | 'create-secret'
  | 'create-deployment'
  | 'create-service-clusterip'
  | 'create-service-nodeport'
  | 'delete'
  | 'label'
  | 'annotate'
  | 'patch'
  | 'api-resources'
  | 'version'
  | 'config-get-contexts'
  | 'config-current-context'
  | 'config-set-context'
  | 'config-use-context'
  | 'config-view';

const dataSources = (s: Session) => ({
  fromLiteral: s.flags.fromLiteral ?? [],
  fromFile: s.flags.fromFile ?? [],
  fromEnvFile: s.flags.fromEnvFile ?? [],
  cwd: s.io.cwd,
});

const HANDLERS: Record<KubectlVerb, (s: Session) => Promise<void>> = {
  get: (s) =>
    connected(s, async (c) => {
      const action = new GetAction({
        ...c,
        allNamespaces: Boolean(s.flags.allNamespaces),
        ...(s.flags.selector ? { labelSelector: s.flags.selector } : {}),
        ...(s.flags.fieldSelector ? { fieldSelector: s.flags.fieldSelector } : {}),
        tables: isTableOutput(s.flags.output),
      });
      const watching = Boolean(s.flags.watch || s.flags.watchOnly);
      const timeout = watching ? requestTimeout(s.flags.requestTimeout) : 0;
      if (s.flags.export) s.io.stderr.write(`${EXPORT_DEPRECATION}\n`);
      const raw = await action.run(s.args);
      const result = s.flags.export
        ? { ...raw, groups: raw.groups.map((g) => ({ ...g, objects: g.objects.map(exportObject) })) }
        : raw;
      if (!s.flags.watchOnly) {
        const printed = await printGetResult(result, s.flags, s.io.cwd);
        s.io.stdout.write(printed.stdout);
        if (result.errors.length === 0) s.io.stderr.write(printed.stderr);
      }
      reportErrors(s.io, result.errors);
      if (watching) await watchGet(s, c, result, timeout);
    }),
  describe: (s) =>
    connected(s, async (c) => {
      const action = new DescribeAction({
        ...c,
        allNamespaces: Boolean(s.flags.allNamespaces),
        ...(s.flags.selector ? { labelSelector: s.flags.selector } : {}),
      });
      const result = await action.run(s.args);
      s.io.stdout.write(result.text);
      reportErrors(s.io, result.errors);
    }),
  apply: (s) =>
    connected(s, async (c) => {
      const manifests = await readManifests(s.flags.filename ?? [], manifestSources(s.io), 'apply');
      const action = new ApplyAction({
        ...c,
        validation: validation(s.flags.validate),
        dryRun: dryRun(s.flags.dryRun),
      });
      printWrite(s.io, await action.run(manifests));
    }),
  create: (s) =>
    connected(s, async (c) => {
      const manifests = await readManifests(s.flags.filename ?? [], manifestSources(s.io), 'create');
      const action = new CreateAction({
        ...c,
        validation: validation(s.flags.validate),
        dryRun: dryRun(s.flags.dryRun),
      });
      printWrite(s.io, await action.run(manifests));
    }),
  'create-namespace': (s) => generated(s, () => namespaceObject(s.args[0]!)),
  'create-serviceaccount': (s) => generated(s, () => serviceAccountObject(s.args[0]!)),
  'create-configmap': (s) =>
    generated(s, async () =>
      configMapObject(
        s.args[0]!,
        await collectData(dataSources(s), `ConfigMap ${JSON.stringify(s.args[0])}`),
      ),
    ),
  'create-secret': (s) =>
    generated(s, async () =>
      secretObject(
        s.args[0]!,
        await collectData(dataSources(s), `Secret ${JSON.stringify(s.args[0])}`),
        s.flags.type,
      ),
    ),
  'create-deployment': (s) =>
    generated(s, () => {
      const replicas = integer(s.flags.replicas, 'replicas');
      const port = integer(s.flags.port, 'port');
      return deploymentObject(s.args[0]!, {
        images: s.flags.image ?? [],
        ...(replicas === undefined ? {} : { replicas }),
        ...(port === undefined ? {} : { port }),
      });
    }),
  'create-service-clusterip': (s) =>
    generated(s, () =>
      serviceObject(s.args[0]!, {
        type: 'ClusterIP',
        tcp: s.flags.tcp ?? [],
        ...(s.flags.clusterip ? { clusterIP: s.flags.clusterip } : {}),
      }),
    ),
  'create-service-nodeport': (s) =>
    generated(s, () => {
      const nodePort = integer(s.flags.nodePort, 'node-port');
      return serviceObject(s.args[0]!, {
        type: 'NodePort',
        tcp: s.flags.tcp ?? [],
        ...(nodePort === undefined ? {} : { nodePort }),
      });
    }),
  delete: (s) =>
    connected(s, async (c) => {
      const action = new DeleteAction({
        ...c,
        all: Boolean(s.flags.all),
        allNamespaces: Boolean(s.flags.allNamespaces),
        ...(s.flags.selector ? { labelSelector: s.flags.selector } : {}),
        ...(s.flags.fieldSelector ? { fieldSelector: s.flags.fieldSelector } : {}),
        ignoreNotFound: Boolean(s.flags.ignoreNotFound),
        dryRun: dryRun(s.flags.dryRun),
      });
      const files = s.flags.filename ?? [];
      const result =
        files.length > 0
          ? await action.runManifests(await readManifests(files, manifestSources(s.io), 'delete'))
          : await action.run(s.args);
      printWrite(s.io, result);
    }),
  label: (s) => metadataCommand(s, 'labels'),
  annotate: (s) => metadataCommand(s, 'annotations'),
  patch: (s) =>
    connected(s, async (c) => {
      const type = s.flags.type ?? 'strategic';
      if (type !== 'json' && type !== 'merge' && type !== 'strategic')
        throw usageError(`--type must be one of [json merge strategic], not "${type}"`);
      const action = new PatchAction({
        ...c,
        patch: s.flags.patch ?? '',
        type: type as PatchType,
        dryRun: dryRun(s.flags.dryRun),
      });
      printWrite(s.io, await action.run(s.args));
    }),
  'api-resources': (s) =>
    connected(s, async (c) => {
      const namespaced = s.flags.namespaced === undefined ? undefined : s.flags.namespaced !== 'false';
      const { rows, names } = await apiResources(c.client, {
        ...(namespaced === undefined ? {} : { namespaced }),
        ...(s.flags.apiGroup === undefined ? {} : { apiGroup: s.flags.apiGroup }),
      });
      s.io.stdout.write(
        s.flags.output === 'name'
          ? names.map((n) => `${n}\n`).join('')
          : formatRows(rows, s.flags.headers === false),
      );
    }),
  version: async (s) => {
    const info = s.flags.client
      ? await versionInfo(undefined)
      : await connected(s, (c) => versionInfo(c.client));
    if (s.flags.output === 'json' || s.flags.output === 'yaml') {
      const doc = {
        clientVersion: { gitVersion: info.clientVersion },
        ...(info.serverVersion ? { serverVersion: info.serverVersion } : {}),
      };
      s.io.stdout.write(s.flags.output === 'json' ? `${JSON.stringify(doc, null, 2)}\n` : `${toYaml(doc)}\n`);
      return;
    }
    s.io.stdout.write(`Client Version: ${info.clientVersion}\n`);
    if (info.serverVersion) s.io.stdout.write(`Server Version: ${info.serverVersion.gitVersion}\n`);
  },
  'config-get-contexts': async (s) => {
    s.io.stdout.write(formatRows(getContexts(s.home, s.args), s.flags.headers === false));
  },
  'config-current-context': async (s) => {
    s.io.stdout.write(`${currentContext(s.home)}\n`);
  },
  'config-set-context': async (s) => {
    if (s.flags.current && s.args.length > 0)
      throw usageError('you cannot specify both a context name and --current');
    if (!s.flags.current && s.args.length === 0)
      throw usageError('you must specify a non-empty context name or --current');
    const line = setContext(s.home, s.flags.current ? undefined : s.args[0], {
      ...(s.flags.namespace === undefined ? {} : { namespace: s.flags.namespace }),
      ...(s.flags.cluster === undefined ? {} : { cluster: s.flags.cluster }),
      ...(typeof s.flags.user === 'string' ? { user: s.flags.user } : {}),
    });
    s.io.stdout.write(`${line}\n`);
  },
  'config-use-context': async (s) => {
    s.io.stdout.write(`${useContext(s.home, s.args[0]!)}\n`);
  },
  'config-view': async (s) => {
    s.io.stdout.write(viewConfig(s.home));
  },
};

/** Follows a `get` until interrupted (exit 0, quietly) or until `timeout` ms (0: never) elapse. */
async function watchGet(s: Session, c: Connected, listed: GetResult, timeout: number): Promise<void> {
  let interrupted = false;
  let wake: (() => void) | undefined;
  const deadline = timeout > 0 ? Date.now() + timeout : Number.POSITIVE_INFINITY;
  const release = s.io.onInterrupt?.(() => {
    interrupted = true;
    wake?.();
  });
  const action = new WatchAction({
    ...c,
    allNamespaces: Boolean(s.flags.allNamespaces),
    ...(s.flags.selector ? { labelSelector: s.flags.selector } : {}),
    ...(s.flags.fieldSelector ? { fieldSelector: s.flags.fieldSelector } : {}),
    tables: isTableOutput(s.flags.output),
    stopped: () => interrupted || Date.now() >= deadline,
    // The changes the cluster makes while it settles stream as watch events; then its clock
    // keeps pace with the wall clock between polls.
    settle: () => c.client.settle(),
    sleep: async (ms) => {
      await Promise.all([c.client.sleep(ms), wallSleep(ms)]);
    },
  });
  function wallSleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, Math.max(0, Math.min(ms, deadline - Date.now())));
      function done(): void {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });
  }
  let printedBefore = !s.flags.watchOnly && listed.groups.some((g) => g.objects.length > 0);
  try {
    await action.follow(listed, async (change) => {
      const text = await printWatchedChange(
        change,
        s.flags,
        { multiple: listed.multiple, printedBefore },
        s.io.cwd,
      );
      s.io.stdout.write(text);
      printedBefore = true;
    });
  } finally {
    release?.();
  }
}

function metadataCommand(s: Session, field: 'labels' | 'annotations'): Promise<void> {
  return connected(s, async (c) => {
    const action = new LabelAction({
      ...c,
      field,
      overwrite: Boolean(s.flags.overwrite),
      all: Boolean(s.flags.all),
      ...(s.flags.selector ? { labelSelector: s.flags.selector } : {}),
      dryRun: dryRun(s.flags.dryRun),
    });
    printWrite(s.io, await action.run(s.args));
  });
}

/** Runs one kubectl command; failures are printed in kubectl's words and exit 1. */
export function runKubectl(
  io: CliIO,
  verb: KubectlVerb,
  args: readonly string[],
  flags: KubectlFlags,
): Promise<void> {
  return runSession(io, HANDLERS[verb], args, flags);
}

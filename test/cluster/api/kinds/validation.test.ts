/**
 * Validation with the API server's wording: the seeds' DaemonSet-with-replicas exercise, the bad
 * inputs of issue 3's acceptance, and the per-kind rules the training hits.
 */

import { describe, expect, it } from 'vitest';
import {
  clientValidationMessage,
  formatFieldError,
  type KubeFieldError,
  toApiError,
} from '../../../../src/cluster/api/kinds/index.js';
import type { KubeObject } from '../../../../src/cluster/store/types.js';
import { apiErrorOf, manifest, rngDeployment, setup } from './builders.js';

const { registry, schema } = setup();

function admitError(o: KubeObject, fieldValidation: 'Strict' | 'Warn' | 'Ignore' = 'Strict') {
  return apiErrorOf(() => schema.admit(o, { fieldValidation }));
}

function withSpec(o: KubeObject, patch: Record<string, unknown>): KubeObject {
  return { ...o, spec: { ...(o.spec as object), ...patch } };
}

describe('the seeds: a Deployment changed into a DaemonSet', () => {
  const daemonSet = (): KubeObject => ({ ...rngDeployment(), kind: 'DaemonSet' });

  it('is refused naming the unknown fields in document order, as kubectl prints it from the server', () => {
    expect(admitError(daemonSet())).toEqual({
      code: 400,
      reason: 'BadRequest',
      message:
        'DaemonSet in version "v1" cannot be handled as a DaemonSet: strict decoding error: unknown field "spec.replicas", unknown field "spec.strategy", unknown field "spec.progressDeadlineSeconds"',
    });
  });

  it('reports each unknown field with the definition that lacks it', () => {
    const info = registry.forObject('apps/v1', 'DaemonSet')!;
    const errors = schema.validate(daemonSet(), info) as KubeFieldError[];
    expect(errors.map((e) => [e.type, e.field, e.message, e.definition])).toEqual([
      [
        'FieldValueUnknown',
        'spec.replicas',
        'unknown field "spec.replicas"',
        'io.k8s.api.apps.v1.DaemonSetSpec',
      ],
      [
        'FieldValueUnknown',
        'spec.strategy',
        'unknown field "spec.strategy"',
        'io.k8s.api.apps.v1.DaemonSetSpec',
      ],
      [
        'FieldValueUnknown',
        'spec.progressDeadlineSeconds',
        'unknown field "spec.progressDeadlineSeconds"',
        'io.k8s.api.apps.v1.DaemonSetSpec',
      ],
    ]);
  });

  it("words it as the training's kubectl did, for the extensions/v1beta1 export", () => {
    const old = {
      ...daemonSet(),
      apiVersion: 'extensions/v1beta1',
      spec: { replicas: 1, template: (daemonSet().spec as KubeObject).template },
    };
    const info = registry.forObject('extensions/v1beta1', 'DaemonSet')!;
    const errors = schema.validate(old, info) as KubeFieldError[];
    expect(clientValidationMessage('rng.yml', 'DaemonSet', errors)).toBe(
      'error validating "rng.yml": error validating data: ValidationError(DaemonSet.spec): unknown field "replicas" in io.k8s.api.extensions.v1beta1.DaemonSetSpec; if you choose to ignore these errors, turn validation off with --validate=false',
    );
  });

  it('is accepted with --validate=false, the unknown fields dropped', () => {
    const { object, warnings } = schema.admit(daemonSet(), { fieldValidation: 'Ignore' });
    const spec = object.spec as Record<string, unknown>;
    expect(Object.keys(spec).sort()).toEqual([
      'revisionHistoryLimit',
      'selector',
      'template',
      'updateStrategy',
    ]);
    expect(warnings).toEqual([]);
  });

  it('warns under fieldValidation=Warn', () => {
    expect(schema.admit(daemonSet(), { fieldValidation: 'Warn' }).warnings).toEqual([
      'unknown field "spec.replicas"',
      'unknown field "spec.strategy"',
      'unknown field "spec.progressDeadlineSeconds"',
    ]);
  });
});

describe('bad input, each a kubectl-style error', () => {
  const subdomain =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
  const label =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
  const long = 'a'.repeat(254);

  it.each<[string, KubeObject, number, string]>([
    [
      'upper-case name',
      { ...rngDeployment(), metadata: { name: 'Web' } },
      422,
      `Deployment.apps "Web" is invalid: metadata.name: Invalid value: "Web": ${subdomain}`,
    ],
    [
      'name too long',
      { ...rngDeployment(), metadata: { name: long } },
      422,
      `Deployment.apps "${long}" is invalid: metadata.name: Invalid value: "${long}": must be no more than 253 characters`,
    ],
    [
      'namespace name too long',
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n'.repeat(64) } },
      422,
      // The kubernetes.io/metadata.name label is defaulted from the name, so it is too long as well.
      `Namespace "${'n'.repeat(64)}" is invalid: [metadata.name: Invalid value: "${'n'.repeat(64)}": must be no more than 63 characters, metadata.labels: Invalid value: "${'n'.repeat(64)}": must be no more than 63 characters]`,
    ],
    [
      'namespace with a dot',
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a.b' } },
      422,
      `Namespace "a.b" is invalid: metadata.name: Invalid value: "a.b": ${label}`,
    ],
    [
      'service starting with a digit',
      { apiVersion: 'v1', kind: 'Service', metadata: { name: '8ball' }, spec: { ports: [{ port: 80 }] } },
      422,
      `Service "8ball" is invalid: metadata.name: Invalid value: "8ball": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
    ],
    [
      'replicas: "3"',
      withSpec(rngDeployment(), { replicas: '3' }),
      400,
      'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
    ],
    [
      'replicas: 1.5',
      withSpec(rngDeployment(), { replicas: 1.5 }),
      400,
      'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32',
    ],
    [
      'missing metadata',
      { apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'b' } },
      422,
      'ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required',
    ],
    [
      'an object where a list belongs',
      withSpec(rngDeployment(), { template: { spec: { containers: { name: 'x' } } } }),
      400,
      'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container',
    ],
    [
      'a container port as a string',
      manifest(
        'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: nginx\n    ports:\n    - containerPort: "80"\n',
      ),
      400,
      'Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32',
    ],
    [
      'a bad quantity',
      manifest(
        'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: nginx\n    resources: {limits: {memory: lots}}\n',
      ),
      400,
      'Pod in version "v1" cannot be handled as a Pod: quantities must match the regular expression \'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$\'',
    ],
    [
      'secret data that is not base64',
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { password: 'not base64!' } },
      400,
      'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 3',
    ],
    [
      'a timestamp that is not RFC 3339',
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', creationTimestamp: 'yesterday' } },
      400,
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"',
    ],
  ])('%s', (_, o, code, message) => {
    expect(admitError(o)).toMatchObject({ code, message });
  });

  it("the training's liveness settings indented at the container level are unknown fields", () => {
    const o = manifest(`
apiVersion: v1
kind: Pod
metadata:
  name: rng-with-liveness
spec:
  containers:
  - name: rng
    image: dockercoins/rng:v0.1
    livenessProbe:
      httpGet:
        path: /
        port: 80
    initialDelaySeconds: 10
    periodSeconds: 1
`);
    expect(admitError(o).message).toBe(
      'Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].initialDelaySeconds", unknown field "spec.containers[0].periodSeconds"',
    );
  });

  it('an unquoted yes is a boolean, and a label value must be a string', () => {
    const o = manifest(`
apiVersion: v1
kind: Service
metadata:
  name: rng
spec:
  selector:
    app: rng
    isactive: yes
  ports:
  - port: 80
`);
    expect((o.spec as { selector: Record<string, unknown> }).selector.isactive).toBe(true);
    expect(admitError(o).message).toBe(
      'Service in version "v1" cannot be handled as a Service: json: cannot unmarshal bool into Go struct field ServiceSpec.spec.selector of type string',
    );
    const labelled = { ...rngDeployment(), metadata: { name: 'rng', labels: { isactive: true } } };
    expect(admitError(labelled).message).toBe(
      'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal bool into Go struct field ObjectMeta.metadata.labels of type string',
    );
  });

  it('collects several validation errors in one 422 with causes', () => {
    const o = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', labels: { 'a/b/c': 'x', ok: '-bad-' } },
    };
    const info = registry.forObject('v1', 'ConfigMap')!;
    const err = toApiError(o, info, schema.validate(o, info))!;
    expect(err.code).toBe(422);
    expect(err.message).toMatch(
      /^ConfigMap "c" is invalid: \[metadata\.labels: Invalid value: "a\/b\/c": a qualified name must consist/,
    );
    expect(err.status.details?.causes?.map((c) => [c.reason, c.field])).toEqual([
      ['FieldValueInvalid', 'metadata.labels'],
      ['FieldValueInvalid', 'metadata.labels'],
    ]);
  });
});

describe('semantic rules', () => {
  const errorsOf = (o: KubeObject) => {
    const info = registry.forObject(String(o.apiVersion), String(o.kind))!;
    const copy = schema.convert(structuredClone(o), info);
    schema.applyDefaults(copy, info);
    return schema.validate(copy, info).map(formatFieldError);
  };
  const pod = (containers: unknown[], extra: Record<string, unknown> = {}): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default' },
    spec: { containers, ...extra },
  });

  it.each<[string, KubeObject, string[]]>([
    [
      'selector must match the template labels',
      withSpec(rngDeployment(), { selector: { matchLabels: { app: 'web' } } }),
      [
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"rng"}: `selector` does not match template `labels`',
      ],
    ],
    [
      'a selector is required',
      withSpec(rngDeployment(), { selector: undefined }),
      ['spec.selector: Required value'],
    ],
    [
      'negative replicas',
      withSpec(rngDeployment(), { replicas: -1 }),
      ['spec.replicas: Invalid value: -1: must be greater than or equal to 0'],
    ],
    [
      'maxUnavailable and maxSurge both 0',
      withSpec(rngDeployment(), {
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } },
      }),
      ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0'],
    ],
    [
      'container name and image required',
      pod([{}]),
      ['spec.containers[0].name: Required value', 'spec.containers[0].image: Required value'],
    ],
    ['no containers', pod([]), ['spec.containers: Required value']],
    [
      'ports in range',
      pod([{ name: 'c', image: 'nginx', ports: [{ containerPort: 70000 }] }]),
      [
        'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      ],
    ],
    [
      'duplicate container names',
      pod([
        { name: 'c', image: 'nginx' },
        { name: 'c', image: 'redis' },
      ]),
      ['spec.containers[1].name: Duplicate value: "c"'],
    ],
    [
      'a mount of a missing volume',
      pod([{ name: 'c', image: 'nginx', volumeMounts: [{ name: 'www', mountPath: '/www' }] }]),
      ['spec.containers[0].volumeMounts[0].name: Not found: "www"'],
    ],
    [
      'an unsupported restartPolicy',
      pod([{ name: 'c', image: 'nginx' }], { restartPolicy: 'Sometimes' }),
      [
        'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "Never", "OnFailure"',
      ],
    ],
    [
      "the training's readWriteOnce typo",
      manifest(
        'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: c}\nspec:\n  accessModes: [readWriteOnce]\n  resources: {requests: {storage: 1Gi}}\n',
      ),
      [
        'spec.accessModes[0]: Unsupported value: "readWriteOnce": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
      ],
    ],
    [
      'a Job must not restart Always',
      manifest(
        'apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  template:\n    spec:\n      containers: [{name: c, image: busybox}]\n',
      ),
      [
        'spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"',
      ],
    ],
    [
      'a multi-port Service names its ports',
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 's' },
        spec: { ports: [{ port: 80 }, { port: 443, name: 'https' }] },
      },
      ['spec.ports[0].name: Required value'],
    ],
    [
      'an ExternalName Service needs its name',
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { type: 'ExternalName' } },
      ['spec.externalName: Required value'],
    ],
    [
      'a ConfigMap key',
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { 'a b': 'x' } },
      [
        "data[a b]: Invalid value: \"a b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
      ],
    ],
    [
      'a ConfigMap over 1 MiB',
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'c' },
        data: { big: 'x'.repeat(1024 * 1024 + 1) },
      },
      ['[]: Too long: must have at most 1048576 bytes'],
    ],
    [
      'annotations over 256 KiB',
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'c', annotations: { big: 'x'.repeat(256 * 1024) } },
      },
      ['metadata.annotations: Too long: must have at most 262144 bytes'],
    ],
    [
      'a 64-character label value',
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { a: 'v'.repeat(64) } } },
      [`metadata.labels: Invalid value: "${'v'.repeat(64)}": must be no more than 63 characters`],
    ],
    [
      'a generateName prefix is checked without its trailing dash',
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'web-' } },
      [],
    ],
    [
      'a CronJob name is at most 52 characters',
      manifest(
        `apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: ${'c'.repeat(53)}}\nspec:\n  schedule: "*/5 * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers: [{name: c, image: busybox}]\n`,
      ),
      [`metadata.name: Invalid value: "${'c'.repeat(53)}": must be no more than 52 characters`],
    ],
    [
      "a cron minute above 59 (robfig/cron's words)",
      manifest(
        `apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  schedule: "61 * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers: [{name: c, image: busybox}]\n`,
      ),
      ['spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61'],
    ],
    [
      'a cron range running backwards',
      manifest(
        `apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  schedule: "* 5-2 * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers: [{name: c, image: busybox}]\n`,
      ),
      ['spec.schedule: Invalid value: "* 5-2 * * *": beginning of range (5) beyond end of range (2): 5-2'],
    ],
    [
      'a cron field that is not a number',
      manifest(
        `apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  schedule: "* * * foo *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers: [{name: c, image: busybox}]\n`,
      ),
      [
        'spec.schedule: Invalid value: "* * * foo *": failed to parse int from foo: strconv.Atoi: parsing "foo": invalid syntax',
      ],
    ],
    [
      'a zero cron step',
      manifest(
        `apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  schedule: "*/0 * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers: [{name: c, image: busybox}]\n`,
      ),
      ['spec.schedule: Invalid value: "*/0 * * * *": step of range should be a positive number: */0'],
    ],
    [
      'a TZ prefix in the schedule',
      manifest(
        `apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  schedule: "TZ=UTC 0 * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers: [{name: c, image: busybox}]\n`,
      ),
      [
        'spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
      ],
    ],
    [
      'cron names, steps, lists and ranges that robfig/cron accepts',
      manifest(
        `apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  schedule: "*/15 9-17 1,15 jan-jun mon-fri"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers: [{name: c, image: busybox}]\n`,
      ),
      [],
    ],
    [
      'a RoleBinding to an unknown kind of role',
      manifest(
        'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Policy, name: view}\nsubjects: [{kind: ServiceAccount, name: viewer}]\n',
      ),
      ['roleRef.kind: Unsupported value: "Policy": supported values: "Role", "ClusterRole"'],
    ],
    [
      'a StatefulSet container mounts a volumeClaimTemplate',
      manifest(
        'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: postgres}\nspec:\n  serviceName: postgres\n  selector: {matchLabels: {app: postgres}}\n  template:\n    metadata: {labels: {app: postgres}}\n    spec:\n      containers:\n      - name: postgres\n        image: postgres:16\n        volumeMounts: [{name: postgres, mountPath: /var/lib/postgresql}]\n  volumeClaimTemplates:\n  - metadata: {name: postgres}\n    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n',
      ),
      [],
    ],
  ])('%s', (_, o, expected) => {
    expect(errorsOf(o)).toEqual(expected);
  });
});

describe('a status write is validated within status', () => {
  const podInfo = () => registry.forObject('v1', 'Pod')!;
  const pod = (status: unknown): KubeObject => ({
    ...manifest(`
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx
`),
    status,
  });
  const inStatus = (errors: readonly KubeFieldError[]) => errors.filter((e) => e.field.startsWith('status'));

  it('finds in status exactly what whole-object validation finds there', () => {
    const cases: unknown[] = [
      { phase: 'Running', podIP: '10.244.1.5', conditions: [{ type: 'Ready', status: 'True' }] },
      { phase: 5 },
      { containerStatuses: 'nope' },
      { conditions: [{ type: 'Ready', status: 'True', bogus: 1 }] },
      { unknownField: true },
    ];
    for (const status of cases) {
      const object = pod(status);
      expect(schema.validateStatus(object, podInfo())).toEqual(
        inStatus(schema.validate(object, podInfo()) as KubeFieldError[]),
      );
    }
    expect(schema.validateStatus(pod({ phase: 5 }), podInfo())).not.toEqual([]);
  });

  it('leaves out what a status write does not change', () => {
    const object = { ...pod({ phase: 'Running' }), spec: { containers: 'not a list' } };
    expect(schema.validate(object, podInfo())).not.toEqual([]);
    expect(schema.validateStatus(object, podInfo())).toEqual([]);
  });
});

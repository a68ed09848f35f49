import { describe, expect, it } from 'vitest';
import { immutableFieldErrors } from '../../../../src/cluster/api/machinery/immutable-fields.js';
import { formatFieldError } from '../../../../src/cluster/api/machinery/invalid-error.js';

const sts = (spec: Record<string, unknown>) => ({
  spec: { replicas: 1, serviceName: 's', selector: { matchLabels: { a: 'b' } }, ...spec },
});
const pod = (spec: Record<string, unknown>) => ({
  spec: { containers: [{ name: 'c', image: 'nginx:1' }], ...spec },
});

describe('immutable fields', () => {
  const cases: [string, string, Record<string, unknown>, Record<string, unknown>, string[]][] = [
    ['StatefulSet replicas may change', 'StatefulSet.apps', sts({}), sts({ replicas: 3 }), []],
    [
      'StatefulSet serviceName may not',
      'StatefulSet.apps',
      sts({}),
      sts({ serviceName: 'other' }),
      [
        "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
      ],
    ],
    [
      'a Job selector',
      'Job.batch',
      { spec: { selector: { matchLabels: { a: 'b' } } } },
      { spec: { selector: { matchExpressions: [{ key: 'a', operator: 'In', values: ['c'] }] } } },
      [
        'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"a", Operator:"In", Values:[]string{"c"}}}}: field is immutable',
      ],
    ],
    [
      'a Secret type',
      'Secret',
      { type: 'Opaque' },
      { type: 'kubernetes.io/tls' },
      ['type: Invalid value: "kubernetes.io/tls": field is immutable'],
    ],
    [
      'a DaemonSet selector may change (the training edits it; extensions/v1beta1 allowed it)',
      'DaemonSet.apps',
      { spec: { selector: { matchLabels: { run: 'rng' } } } },
      { spec: { selector: { matchLabels: { run: 'rng', isactive: 'yes' } } } },
      [],
    ],
    [
      'a Deployment selector may not',
      'Deployment.apps',
      { spec: { selector: { matchLabels: { run: 'rng' } } } },
      { spec: { selector: { matchLabels: { run: 'rng', isactive: 'yes' } } } },
      [
        'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"isactive":"yes", "run":"rng"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
      ],
    ],
    ['a mutable ConfigMap', 'ConfigMap', { data: { a: '1' } }, { data: { a: '2' } }, []],
    [
      'unsetting immutable',
      'ConfigMap',
      { immutable: true, data: { a: '1' } },
      { immutable: false, data: { a: '1' } },
      ['immutable: Forbidden: field is immutable when `immutable` is set'],
    ],
    ['a pod image', 'Pod', pod({}), pod({ containers: [{ name: 'c', image: 'nginx:2' }] }), []],
    ['a pod node, once', 'Pod', pod({}), pod({ nodeName: 'node1' }), []],
    [
      'added tolerations',
      'Pod',
      pod({ tolerations: [{ key: 'a' }] }),
      pod({ tolerations: [{ key: 'a' }, { key: 'b' }] }),
      [],
    ],
    [
      'a pod restartPolicy',
      'Pod',
      pod({}),
      pod({ restartPolicy: 'Never' }),
      [
        'spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
      ],
    ],
    [
      'a RoleBinding roleRef',
      'RoleBinding.rbac.authorization.k8s.io',
      { roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'a' } },
      { roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'b' } },
      [
        'roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"Role", Name:"b"}: cannot change roleRef',
      ],
    ],
    [
      'a StorageClass provisioner',
      'StorageClass.storage.k8s.io',
      { provisioner: 'a' },
      { provisioner: 'b' },
      ['provisioner: Forbidden: updates to provisioner are forbidden.'],
    ],
    [
      'a bound PVC volumeName',
      'PersistentVolumeClaim',
      { spec: { volumeName: 'pv1' } },
      { spec: { volumeName: 'pv2' } },
      [
        'spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
      ],
    ],
    ['an unbound PVC volumeName', 'PersistentVolumeClaim', { spec: {} }, { spec: { volumeName: 'pv1' } }, []],
  ];
  it.each(cases)('%s', (_name, kindKey, before, after, expected) => {
    expect(immutableFieldErrors(kindKey, before, after).map(formatFieldError)).toEqual(expected);
  });
});

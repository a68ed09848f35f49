import { describe, expect, it } from 'vitest';
import {
  checkFieldSelector,
  fieldSelectorToString,
  matchesFields,
  parseFieldSelector,
} from '../../../../src/cluster/api/machinery/field-selector.js';

const POD = {
  metadata: { name: 'web-1', namespace: 'default' },
  spec: { nodeName: 'node2', restartPolicy: 'Always' },
  status: { phase: 'Running', podIPs: [{ ip: '10.244.1.5' }] },
};
const EVENT = {
  metadata: { name: 'web.17b', namespace: 'default' },
  involvedObject: { kind: 'Pod', name: 'web-1', namespace: 'default' },
  reason: 'Pulled',
  source: { component: 'kubelet' },
  type: 'Normal',
};

describe('field selectors', () => {
  const cases: [string, string, unknown, boolean][] = [
    ['pods', '', POD, true],
    ['pods', 'metadata.name=web-1', POD, true],
    ['pods', 'metadata.name==web-1', POD, true],
    ['pods', 'metadata.name!=web-1', POD, false],
    ['pods', 'metadata.namespace=default', POD, true],
    ['pods', 'spec.nodeName=node2', POD, true],
    ['pods', 'spec.nodeName=node3', POD, false],
    ['pods', 'status.phase!=Running', POD, false],
    ['pods', 'status.phase=Running,spec.nodeName=node2', POD, true],
    ['pods', 'spec.hostNetwork=false', POD, true],
    ['pods', 'status.podIPs=10.244.1.5', POD, true],
    ['pods', 'spec.nodeName=', { metadata: { name: 'pending' }, spec: {} }, true],
    ['events', 'involvedObject.name=web-1,involvedObject.kind=Pod', EVENT, true],
    ['events', 'source=kubelet', EVENT, true],
    ['events', 'reason=Killing', EVENT, false],
    ['nodes', 'spec.unschedulable=false', { metadata: { name: 'node1' }, spec: {} }, true],
    ['replicasets.apps', 'status.replicas=0', { metadata: { name: 'rs' } }, true],
    ['configmaps', 'metadata.name=a\\,b', { metadata: { name: 'a,b' } }, true],
  ];
  it.each(cases)('%s %j', (resource, text, object, expected) => {
    const selector = parseFieldSelector(text);
    checkFieldSelector(resource, selector);
    expect(matchesFields(resource, selector, object)).toBe(expected);
  });

  const errors: [string, string, string][] = [
    ['pods', 'spec.foo=x', 'field label not supported: spec.foo'],
    ['configmaps', 'spec.nodeName=x', 'field label not supported: spec.nodeName'],
    ['pods', 'metadata.name', "invalid selector: 'metadata.name'; can't understand 'metadata.name'"],
    ['pods', 'metadata.name=a=b', 'invalid field selector: unescaped character in value: 61'],
    ['pods', 'metadata.name=a\\x', 'invalid field selector: invalid escape sequence: \\x'],
  ];
  it.each(errors)('%s %j is refused', (resource, text, message) => {
    expect(() => checkFieldSelector(resource, parseFieldSelector(text))).toThrow(message);
  });

  it('prints terms sorted, values escaped', () => {
    expect(fieldSelectorToString(parseFieldSelector('status.phase!=Failed,metadata.name=a\\,b'))).toBe(
      'metadata.name=a\\,b,status.phase!=Failed',
    );
  });
});

import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../src/cluster/api/machinery/json-values.js';
import { jobFinishedCondition as reexported } from '../../../src/cluster/controllers/job.js';
import {
  conditionsOf,
  ensureCondition,
  jobFinishedCondition,
  matchFailurePolicy,
} from '../../../src/cluster/controllers/job-conditions.js';
import type { KubeObject } from '../../../src/cluster/store/types.js';

function job(spec: JsonObject = {}, conditions: JsonObject[] = []): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'j', namespace: 'default' },
    spec,
    status: { conditions },
  } as KubeObject;
}

function failedPod(status: JsonObject): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'j-abc', namespace: 'ns' },
    status: { phase: 'Failed', ...status },
  } as KubeObject;
}

const exited = (name: string, exitCode: number): JsonObject => ({
  name,
  state: { terminated: { exitCode } },
});

describe('job conditions', () => {
  it('finds the terminal condition only when it is True, and job.ts still exports it', () => {
    expect(jobFinishedCondition(job({}, [{ type: 'Complete', status: 'False' }]))).toBeUndefined();
    expect(jobFinishedCondition(job({}, [{ type: 'Failed', status: 'True', reason: 'X' }]))?.reason).toBe(
      'X',
    );
    expect(reexported).toBe(jobFinishedCondition);
  });

  it('conditionsOf returns copies', () => {
    const j = job({}, [{ type: 'Suspended', status: 'True' }]);
    conditionsOf(j)[0]!.status = 'False';
    expect(conditionsOf(j)[0]!.status).toBe('True');
  });

  it('ensureCondition adds only True conditions and keeps the transition time when status holds', () => {
    const list: JsonObject[] = [];
    expect(ensureCondition(list, 'Suspended', 'False', 'JobResumed', 'Job resumed', 't0')).toBe(false);
    expect(list).toEqual([]);
    expect(ensureCondition(list, 'Suspended', 'True', 'JobSuspended', 'Job suspended', 't1')).toBe(true);
    expect(ensureCondition(list, 'Suspended', 'True', 'JobSuspended', 'Job suspended', 't2')).toBe(false);
    expect(ensureCondition(list, 'Suspended', 'True', 'Other', 'Job suspended', 't3')).toBe(true);
    expect(list[0]).toMatchObject({ lastProbeTime: 't3', lastTransitionTime: 't1', reason: 'Other' });
    expect(ensureCondition(list, 'Suspended', 'False', 'JobResumed', 'Job resumed', 't4')).toBe(true);
    expect(list[0]).toMatchObject({ status: 'False', lastTransitionTime: 't4' });
  });
});

describe('matchFailurePolicy', () => {
  it('matches exit codes (In / NotIn, container name) and reports the rule index', () => {
    const policy = {
      podFailurePolicy: {
        rules: [
          { action: 'Ignore', onExitCodes: { containerName: 'side', operator: 'In', values: [1] } },
          { action: 'FailJob', onExitCodes: { operator: 'NotIn', values: [0, 2] } },
        ],
      },
    };
    const pod = failedPod({ containerStatuses: [exited('main', 3)] });
    expect(matchFailurePolicy(job(policy), pod)).toEqual({
      action: 'FailJob',
      message: 'Container main for pod ns/j-abc failed with exit code 3 matching FailJob rule at index 1',
    });
    expect(
      matchFailurePolicy(job(policy), failedPod({ containerStatuses: [exited('main', 2)] })),
    ).toBeUndefined();
    expect(
      matchFailurePolicy(job(policy), failedPod({ initContainerStatuses: [exited('side', 1)] })),
    ).toEqual({
      action: 'Ignore',
    });
  });

  it('matches pod conditions, defaulting the wanted status to True', () => {
    const policy = {
      podFailurePolicy: { rules: [{ action: 'FailIndex', onPodConditions: [{ type: 'DisruptionTarget' }] }] },
    };
    const hit = failedPod({ conditions: [{ type: 'DisruptionTarget', status: 'True' }] });
    expect(matchFailurePolicy(job(policy), hit)).toEqual({
      action: 'FailIndex',
      message: 'Pod ns/j-abc has condition DisruptionTarget matching FailIndex rule at index 0',
    });
    const miss = failedPod({ conditions: [{ type: 'DisruptionTarget', status: 'False' }] });
    expect(matchFailurePolicy(job(policy), miss)).toBeUndefined();
    expect(matchFailurePolicy(job(), hit)).toBeUndefined();
  });
});

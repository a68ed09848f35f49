import { afterEach, describe, expect, it } from 'vitest';
import type { Cluster } from '../../../src/cluster/cluster.js';
import { jobController } from '../../../src/cluster/controllers/job.js';
import type { KubeObject } from '../../../src/cluster/store/types.js';
import {
  controllerCluster,
  eventsOf,
  type FakeNode,
  fakeNode,
  metaOf,
  OUTCOME,
  RUN_MS,
  specOf,
  statusOf,
  T0,
} from '../volumes/fake-node.js';

type Json = Record<string, unknown>;

const clusters: Cluster[] = [];
afterEach(() => {
  for (const c of clusters.splice(0)) {
    const errors = c.runtime.errors;
    c.close();
    expect(errors).toEqual([]);
  }
});

function open(node: FakeNode = fakeNode()): Cluster {
  const cluster = controllerCluster([jobController], node);
  clusters.push(cluster);
  return cluster;
}

function job(name: string, outcome: string | undefined, spec: Json = {}, runMs = 5000): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default' },
    spec: {
      template: {
        metadata:
          outcome === undefined ? {} : { annotations: { [OUTCOME]: outcome, [RUN_MS]: String(runMs) } },
        spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl:5.34' }] },
      },
      ...spec,
    },
  };
}

const podsOf = (c: Cluster, name: string) =>
  c.api.list('pods', { namespace: 'default', labelSelector: `batch.kubernetes.io/job-name=${name}` }).items;
const get = (c: Cluster, name: string) => c.api.get('jobs.batch', 'default', name);
const conditions = (o: KubeObject) =>
  ((statusOf(o).conditions ?? []) as Json[]).map(
    (x) => `${String(x.type)}=${String(x.status)}:${String(x.reason)}`,
  );

describe('job-controller', () => {
  it('runs a pod to completion: SuccessCriteriaMet then Complete, completionTime, events', () => {
    const c = open();
    c.api.create(job('pi', 'Succeeded'));
    c.runtime.settle();
    const j = get(c, 'pi');
    const status = statusOf(j);
    expect(conditions(j)).toEqual([
      'SuccessCriteriaMet=True:CompletionsReached',
      'Complete=True:CompletionsReached',
    ]);
    expect(status).toMatchObject({ succeeded: 1, ready: 0, terminating: 0, uncountedTerminatedPods: {} });
    expect(status.active).toBeUndefined();
    expect(status.startTime).toBe('2025-03-01T12:00:00Z');
    expect(status.completionTime).toBe('2025-03-01T12:00:05Z');
    const [pod] = podsOf(c, 'pi');
    expect(String(metaOf(pod!).name)).toMatch(/^pi-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(metaOf(pod!).labels).toMatchObject({
      'batch.kubernetes.io/controller-uid': metaOf(j).uid,
      'batch.kubernetes.io/job-name': 'pi',
      'controller-uid': metaOf(j).uid,
      'job-name': 'pi',
    });
    // Counted: the tracking finalizer is gone.
    expect(metaOf(pod!).finalizers).toBeUndefined();
    expect(eventsOf(c, 'default', 'pi', 'Job')).toEqual([
      `SuccessfulCreate: Created pod: ${String(metaOf(pod!).name)}`,
      'Completed: Job completed',
    ]);
  });

  it('puts the job-tracking finalizer on running pods and reports them active and ready', () => {
    const c = open();
    c.api.create(job('long', 'Succeeded', {}, 600_000));
    c.runtime.settle({ horizonMs: 10_000 });
    const [pod] = podsOf(c, 'long');
    expect(metaOf(pod!).finalizers).toEqual(['batch.kubernetes.io/job-tracking']);
    expect(statusOf(get(c, 'long'))).toMatchObject({ active: 1, ready: 1, terminating: 0 });
  });

  it('runs completions 3 with parallelism 2: never more than 2 pods at once, 3 successes', () => {
    const c = open();
    c.api.create(job('batch', 'Succeeded', { completions: 3, parallelism: 2 }));
    c.runtime.settle({ horizonMs: 1000 });
    expect(podsOf(c, 'batch')).toHaveLength(2);
    expect(statusOf(get(c, 'batch')).active).toBe(2);
    c.runtime.settle();
    expect(podsOf(c, 'batch')).toHaveLength(3);
    const status = statusOf(get(c, 'batch'));
    expect(status.succeeded).toBe(3);
    expect(conditions(get(c, 'batch'))).toContain('Complete=True:CompletionsReached');
  });

  it('fails a Job whose pods keep failing with BackoffLimitExceeded under settle (backoffLimit 2)', () => {
    const c = open();
    c.api.create(job('bad', 'Failed', { backoffLimit: 2 }, 1000));
    const result = c.runtime.settle();
    const j = get(c, 'bad');
    expect(conditions(j)).toEqual([
      'FailureTarget=True:BackoffLimitExceeded',
      'Failed=True:BackoffLimitExceeded',
    ]);
    const failed = ((statusOf(j).conditions as Json[]) ?? []).find((x) => x.type === 'Failed')!;
    expect(failed.message).toBe('Job has reached the specified backoff limit');
    expect(statusOf(j)).toMatchObject({ failed: 3, terminating: 0 });
    expect(statusOf(j).completionTime).toBeUndefined();
    expect(podsOf(c, 'bad')).toHaveLength(3);
    const events = eventsOf(c, 'default', 'bad', 'Job');
    expect(events.filter((e) => e.startsWith('SuccessfulCreate'))).toHaveLength(3);
    expect(events[events.length - 1]).toBe(
      'BackoffLimitExceeded: Job has reached the specified backoff limit',
    );
    // Replacements waited 10 s then 20 s after each failure (pods run 1 s).
    const created = podsOf(c, 'bad')
      .map((p) => Date.parse(String(metaOf(p).creationTimestamp)) - T0)
      .sort((a, b) => a - b);
    expect(created).toEqual([0, 11_000, 32_000]);
    expect(result.pending.progress).toBe(0);
  });

  it('fails with DeadlineExceeded after activeDeadlineSeconds, stopping its pods', () => {
    const c = open();
    c.api.create(job('slow', undefined, { activeDeadlineSeconds: 30 }));
    c.runtime.settle();
    expect(statusOf(get(c, 'slow')).active).toBe(1);
    c.runtime.advance(30_000);
    const j = get(c, 'slow');
    expect(conditions(j)).toEqual(['FailureTarget=True:DeadlineExceeded', 'Failed=True:DeadlineExceeded']);
    expect(statusOf(j)).toMatchObject({ failed: 1, terminating: 0 });
    expect(podsOf(c, 'slow')).toHaveLength(0);
    expect(eventsOf(c, 'default', 'slow', 'Job')).toContain(
      'DeadlineExceeded: Job was active longer than specified deadline',
    );
  });

  it('suspend deletes the active pods and sets Suspended; resuming restarts them', () => {
    const c = open();
    c.api.create(job('paused', undefined, { suspend: true }));
    c.runtime.settle();
    let j = get(c, 'paused');
    expect(podsOf(c, 'paused')).toHaveLength(0);
    expect(conditions(j)).toEqual(['Suspended=True:JobSuspended']);
    expect(statusOf(j).startTime).toBeUndefined();
    c.api.patch('jobs.batch', 'default', 'paused', { spec: { suspend: false } }, 'merge');
    c.runtime.settle();
    j = get(c, 'paused');
    expect(conditions(j)).toEqual(['Suspended=False:JobResumed']);
    expect(podsOf(c, 'paused')).toHaveLength(1);
    c.api.patch('jobs.batch', 'default', 'paused', { spec: { suspend: true } }, 'merge');
    c.runtime.settle();
    expect(podsOf(c, 'paused')).toHaveLength(0);
    j = get(c, 'paused');
    expect(statusOf(j).failed).toBeUndefined();
    expect(eventsOf(c, 'default', 'paused', 'Job')).toContain('Suspended: Job suspended');
  });

  it('Indexed: one pod per index with its index annotation, label, hostname and env', () => {
    const c = open();
    c.api.create(job('idx', 'Succeeded', { completions: 3, parallelism: 3, completionMode: 'Indexed' }));
    c.runtime.settle();
    const pods = podsOf(c, 'idx');
    expect(
      pods.map((p) => (metaOf(p).annotations as Json)['batch.kubernetes.io/job-completion-index']).sort(),
    ).toEqual(['0', '1', '2']);
    for (const p of pods) {
      const index = String((metaOf(p).labels as Json)['batch.kubernetes.io/job-completion-index']);
      expect(String(metaOf(p).name)).toMatch(new RegExp(`^idx-${index}-[a-z0-9]{5}$`));
      expect(specOf(p).hostname).toBe(`idx-${index}`);
      const env = ((specOf(p).containers as Json[])[0]!.env ?? []) as Json[];
      expect(env).toContainEqual({
        name: 'JOB_COMPLETION_INDEX',
        valueFrom: {
          fieldRef: {
            apiVersion: 'v1',
            fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']",
          },
        },
      });
    }
    expect(statusOf(get(c, 'idx'))).toMatchObject({ succeeded: 3, completedIndexes: '0-2' });
  });

  it('counts a deleted running pod as failed and replaces it', () => {
    const c = open();
    c.api.create(job('svc', undefined));
    c.runtime.settle();
    const [first] = podsOf(c, 'svc');
    c.api.delete('pods', 'default', String(metaOf(first!).name));
    c.runtime.settle();
    const pods = podsOf(c, 'svc');
    expect(pods).toHaveLength(1);
    expect(metaOf(pods[0]!).name).not.toBe(metaOf(first!).name);
    expect(statusOf(get(c, 'svc'))).toMatchObject({ failed: 1, active: 1 });
  });

  it('lets go of the pods of a deleted Job (their finalizer is removed)', () => {
    const c = open();
    c.api.create(job('gone', undefined));
    c.runtime.settle();
    expect(podsOf(c, 'gone')).toHaveLength(1);
    c.api.delete('jobs.batch', 'default', 'gone');
    c.runtime.settle();
    expect(podsOf(c, 'gone')).toHaveLength(0);
  });

  it('podFailurePolicy FailJob fails the Job at the first matching exit code', () => {
    const c = open();
    c.api.create(
      job('policy', 'Failed', {
        backoffLimit: 6,
        podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [1] } }] },
      }),
    );
    c.runtime.settle();
    const j = get(c, 'policy');
    expect(conditions(j)).toEqual(['FailureTarget=True:PodFailurePolicy', 'Failed=True:PodFailurePolicy']);
    const [pod] = podsOf(c, 'policy');
    const failed = ((statusOf(j).conditions as Json[]) ?? []).find((x) => x.type === 'Failed')!;
    expect(failed.message).toBe(
      `Container pi for pod default/${String(metaOf(pod!).name)} failed with exit code 1 matching FailJob rule at index 0`,
    );
  });

  it('restartPolicy OnFailure: container restarts count against backoffLimit', () => {
    const c = open();
    const manifest = job('retry', undefined, { backoffLimit: 2 });
    ((manifest.spec as Json).template as { spec: Json }).spec.restartPolicy = 'OnFailure';
    c.api.create(manifest);
    c.runtime.settle();
    const [pod] = podsOf(c, 'retry');
    const status = statusOf(pod!);
    const restarted = (status.containerStatuses as Json[]).map((cs) => ({ ...cs, restartCount: 2 }));
    c.api.update({ ...pod!, status: { ...status, containerStatuses: restarted } }, { subresource: 'status' });
    c.runtime.settle();
    const j = get(c, 'retry');
    expect(conditions(j)).toEqual([
      'FailureTarget=True:BackoffLimitExceeded',
      'Failed=True:BackoffLimitExceeded',
    ]);
    expect(statusOf(j)).toMatchObject({ failed: 1, terminating: 0 });
    expect(podsOf(c, 'retry')).toHaveLength(0);
  });
});

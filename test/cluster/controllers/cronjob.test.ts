import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/cluster/api/types.js';
import type { Cluster } from '../../../src/cluster/cluster.js';
import { cronJobController } from '../../../src/cluster/controllers/cronjob.js';
import { jobController } from '../../../src/cluster/controllers/job.js';
import type { KubeObject } from '../../../src/cluster/store/types.js';
import { controllerCluster, eventsOf, metaOf, OUTCOME, statusOf, T0 } from '../volumes/fake-node.js';

type Json = Record<string, unknown>;

const clusters: Cluster[] = [];
afterEach(() => {
  for (const c of clusters.splice(0)) {
    const errors = c.runtime.errors;
    c.close();
    expect(errors).toEqual([]);
  }
});

function open(): Cluster {
  const cluster = controllerCluster([jobController, cronJobController]);
  clusters.push(cluster);
  return cluster;
}

/** A CronJob whose pods succeed after 5 s (or run forever with `finishes: false`). */
function cron(spec: Json = {}, finishes = true): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'hello', namespace: 'default' },
    spec: {
      schedule: '*/1 * * * *',
      jobTemplate: {
        metadata: { labels: { app: 'hello' } },
        spec: {
          template: {
            metadata: finishes ? { annotations: { [OUTCOME]: 'Succeeded' } } : {},
            spec: { restartPolicy: 'OnFailure', containers: [{ name: 'hello', image: 'busybox' }] },
          },
        },
      },
      ...spec,
    },
  };
}

/** `hello-<unix minutes>` of `T0 + minutes`. */
const jobName = (minutes: number) => `hello-${T0 / 60_000 + minutes}`;
const jobs = (c: Cluster) =>
  c.api
    .list('jobs.batch', { namespace: 'default' })
    .items.map((j) => String(metaOf(j).name))
    .sort();
const cronJob = (c: Cluster) => c.api.get('cronjobs.batch', 'default', 'hello');

describe('cronjob-controller', () => {
  it('creates a Job per schedule time as the clock advances, named by the scheduled minute', () => {
    const c = open();
    c.api.create(cron());
    const settled = c.runtime.settle();
    // A schedule is a wait: nothing happens until time passes.
    expect(jobs(c)).toEqual([]);
    expect(settled.nextWake?.toISOString()).toBe('2025-03-01T12:01:00.000Z');
    c.runtime.advance(3 * 60_000);
    expect(jobs(c)).toEqual([jobName(1), jobName(2), jobName(3)]);
    const job = c.api.get('jobs.batch', 'default', jobName(1));
    expect((metaOf(job).annotations as Json)['batch.kubernetes.io/cronjob-scheduled-timestamp']).toBe(
      '2025-03-01T12:01:00Z',
    );
    expect(metaOf(job).labels).toMatchObject({ app: 'hello' });
    expect((metaOf(job).ownerReferences as Json[])[0]).toMatchObject({
      kind: 'CronJob',
      name: 'hello',
      controller: true,
    });
    const status = statusOf(cronJob(c));
    expect(status.lastScheduleTime).toBe('2025-03-01T12:03:00Z');
    expect(status.lastSuccessfulTime).toBe('2025-03-01T12:03:05Z');
    expect(status.active).toBeUndefined();
    const events = eventsOf(c, 'default', 'hello', 'CronJob');
    expect(events).toContain(`SuccessfulCreate: Created job ${jobName(1)}`);
    expect(events).toContain(`SawCompletedJob: Saw completed job: ${jobName(1)}, condition: Complete`);
  });

  it('keeps successfulJobsHistoryLimit finished Jobs, deleting the oldest', () => {
    const c = open();
    c.api.create(cron({ successfulJobsHistoryLimit: 2 }));
    c.runtime.advance(5 * 60_000);
    expect(jobs(c)).toEqual([jobName(4), jobName(5)]);
    const events = eventsOf(c, 'default', 'hello', 'CronJob');
    expect(events).toContain(`SuccessfulDelete: Deleted job ${jobName(1)}`);
    expect(events).toContain(`SuccessfulDelete: Deleted job ${jobName(3)}`);
  });

  it('Allow runs Jobs concurrently and lists them in status.active', () => {
    const c = open();
    c.api.create(cron({}, false));
    c.runtime.advance(3 * 60_000);
    expect(jobs(c)).toEqual([jobName(1), jobName(2), jobName(3)]);
    const active = statusOf(cronJob(c)).active as Json[];
    expect(active.map((r) => r.name)).toEqual([jobName(1), jobName(2), jobName(3)]);
    expect(active[0]).toMatchObject({ apiVersion: 'batch/v1', kind: 'Job', namespace: 'default' });
  });

  it('Forbid skips a schedule while a Job is still active', () => {
    const c = open();
    c.api.create(cron({ concurrencyPolicy: 'Forbid' }, false));
    c.runtime.advance(3 * 60_000);
    expect(jobs(c)).toEqual([jobName(1)]);
    expect(eventsOf(c, 'default', 'hello', 'CronJob')).toContain(
      'JobAlreadyActive: Not starting job because prior execution is running and concurrency policy is Forbid',
    );
  });

  it('Replace deletes the active Job and starts the new one', () => {
    const c = open();
    c.api.create(cron({ concurrencyPolicy: 'Replace' }, false));
    c.runtime.advance(3 * 60_000);
    expect(jobs(c)).toEqual([jobName(3)]);
    const active = statusOf(cronJob(c)).active as Json[];
    expect(active.map((r) => r.name)).toEqual([jobName(3)]);
    expect(eventsOf(c, 'default', 'hello', 'CronJob')).toContain(
      `SuccessfulDelete: Deleted job ${jobName(2)}`,
    );
  });

  it('suspend stops scheduling; resuming starts only the most recent missed schedule', () => {
    const c = open();
    c.api.create(cron({ suspend: true }));
    c.runtime.advance(10 * 60_000);
    expect(jobs(c)).toEqual([]);
    c.api.patch('cronjobs.batch', 'default', 'hello', { spec: { suspend: false } }, 'merge');
    c.runtime.settle();
    expect(jobs(c)).toEqual([jobName(10)]);
  });

  it('startingDeadlineSeconds drops a schedule missed by more than the deadline', () => {
    const c = open();
    c.api.create(cron({ suspend: true, startingDeadlineSeconds: 30 }));
    c.runtime.advance(10 * 60_000 + 45_000);
    c.api.patch('cronjobs.batch', 'default', 'hello', { spec: { suspend: false } }, 'merge');
    c.runtime.settle();
    expect(jobs(c)).toEqual([]);
    c.runtime.advance(15_000);
    expect(jobs(c)).toEqual([jobName(11)]);
  });

  it('uses spec.timeZone for the schedule and the scheduled-timestamp annotation', () => {
    const c = open();
    c.api.create(cron({ schedule: '1 13 * * *', timeZone: 'Europe/Berlin' }));
    c.runtime.advance(60_000);
    expect(jobs(c)).toEqual([jobName(1)]);
    const job = c.api.get('jobs.batch', 'default', jobName(1));
    expect((metaOf(job).annotations as Json)['batch.kubernetes.io/cronjob-scheduled-timestamp']).toBe(
      '2025-03-01T13:01:00+01:00',
    );
  });

  it('the API refuses an invalid schedule with a clear message', () => {
    const c = open();
    let error: unknown;
    try {
      c.api.create(cron({ schedule: '*/1 * * *' }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toContain(
      'spec.schedule: Invalid value: "*/1 * * *": expected exactly 5 fields, found 4: [*/1 * * *]',
    );
  });
});

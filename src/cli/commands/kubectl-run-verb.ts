/**
 * `kubectl run`: the flags checked and turned into a plan (the generator's objects, from
 * `planRun`), the objects created and printed, then, when attached (`-i`, `-t`, `--attach`), the
 * session with the pod, `--rm`'s cleanup and the container's exit code.
 */

import { asGenerated, planRun, RunAction, type RunCreated, usageError } from '../../action/kubectl/index.js';
import type { KubeClient, KubeObject } from '../../kube/index.js';
import { ExitError } from '../errors.js';
import { interruptible, paced } from './kubectl-follow.js';
import { dryRunOf, flagsOf, podRunningTimeout, printOutput } from './kubectl-pods-flags.js';
import { connected, integer, type Session, validation } from './kubectl-session.js';

/** `kubectl run`: create, print (or attach, then `--rm`). */
export async function runVerb(s: Session): Promise<void> {
  const f = flagsOf(s);
  const mode = dryRunOf(f.dryRun);
  const replicas = integer(f.replicas, 'replicas');
  const port = integer(f.port, 'port');
  const attach = f.attach ?? Boolean(f.stdin);
  if (f.tty && !f.stdin) throw usageError('-i/--stdin is required for containers with -t/--tty=true');
  if (f.rm && !attach) throw usageError('--rm should only be used for attached containers');
  if (attach && mode !== 'none')
    throw usageError(
      "--dry-run can't be used with attached containers options (--attach, --stdin, or --tty)",
    );
  if (attach && replicas !== undefined && replicas !== 1)
    throw usageError(`-i/--stdin requires that replicas is 1, found ${replicas}`);
  const timeout = podRunningTimeout(f);
  const [name = '', ...args] = s.args;
  const plan = planRun(name, {
    ...(f.image === undefined ? {} : { image: f.image }),
    args,
    command: Boolean(f.command),
    ...(f.restart === undefined ? {} : { restart: f.restart }),
    ...(f.schedule === undefined ? {} : { schedule: f.schedule }),
    ...(f.generator === undefined ? {} : { generator: f.generator }),
    ...(replicas === undefined ? {} : { replicas }),
    ...(port === undefined ? {} : { port }),
    ...(f.labels === undefined ? {} : { labels: f.labels }),
    env: f.env ?? [],
    ...(f.serviceaccount === undefined ? {} : { serviceAccount: f.serviceaccount }),
    ...(f.imagePullPolicy === undefined ? {} : { imagePullPolicy: f.imagePullPolicy }),
    ...(f.limits === undefined ? {} : { limits: f.limits }),
    ...(f.requests === undefined ? {} : { requests: f.requests }),
    stdin: Boolean(f.stdin),
    tty: Boolean(f.tty),
    expose: Boolean(f.expose),
  });
  if (plan.deprecation) s.io.stderr.write(`${plan.deprecation}\n`);
  await connected(s, async (c) => {
    const action = new RunAction({ ...c, dryRun: mode, validation: validation(f.validate) });
    const created = await action.create(plan);
    const shown = (o: KubeObject) => (mode === 'client' ? asGenerated(o) : o);
    // kubectl prints the Service as it creates it, the run object once done (not when attached).
    const printed = [created.service, attach ? undefined : created.object].filter(
      (o): o is KubeObject => o !== undefined,
    );
    if (f.output) printOutput(s.io, printed.map(shown), f.output);
    else for (const o of printed) s.io.stdout.write(`${await action.createdLine(o)}\n`);
    if (!attach) return;
    await attached(s, c.client, action, created, plan.restartPolicy, {
      ...(f.stdin ? { stdin: () => s.io.readStdin() } : {}),
      tty: Boolean(f.tty),
      rm: Boolean(f.rm),
      ...(timeout === undefined ? {} : { timeout }),
    });
  });
}

/** The attached part of `run`: the session, then `--rm`, then the exit code. */
async function attached(
  s: Session,
  client: KubeClient,
  action: RunAction,
  created: RunCreated,
  restartPolicy: 'Always' | 'OnFailure' | 'Never',
  options: { stdin?: () => Promise<string>; tty: boolean; rm: boolean; timeout?: number },
): Promise<void> {
  const follow = interruptible(s.io);
  let failure: unknown;
  let outcome: { exitCode: number; message?: string } = { exitCode: 0 };
  try {
    outcome = await action.attach(
      created.object,
      restartPolicy,
      { out: (t) => s.io.stdout.write(t), err: (t) => s.io.stderr.write(t) },
      {
        ...(options.stdin === undefined ? {} : { stdin: options.stdin }),
        tty: options.tty,
        ...(options.timeout === undefined ? {} : { podRunningTimeoutMs: options.timeout }),
        pace: paced(client, follow.wait),
        stopped: follow.stopped,
      },
    );
  } catch (error) {
    failure = error;
  } finally {
    follow.release();
  }
  if (options.rm) for (const line of await action.remove(created)) s.io.stdout.write(`${line}\n`);
  if (failure !== undefined) throw failure;
  if (outcome.message)
    s.io.stderr.write(outcome.message.endsWith('\n') ? outcome.message : `${outcome.message}\n`);
  if (outcome.exitCode !== 0) throw new ExitError(outcome.exitCode);
}

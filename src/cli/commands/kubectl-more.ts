/**
 * More handlers of `bosun kubectl` (loaded on first use): `create role|clusterrole`,
 * `create rolebinding|clusterrolebinding`, `create service externalname`, `explain` and `edit`.
 */

import {
  EditAction,
  explain,
  externalNameServiceObject,
  roleBindingObject,
  roleObject,
  usageError,
} from '../../action/kubectl/index.js';
import { ExitError } from '../errors.js';
import type { CliIO } from '../io.js';
import { kubectlErrorText } from './kubectl-output.js';
import { connected, generated, type KubectlFlags, runSession, type Session } from './kubectl-session.js';

/** The kubectl commands this module handles. */
export type MoreKubectlVerb =
  | 'create-role'
  | 'create-clusterrole'
  | 'create-rolebinding'
  | 'create-clusterrolebinding'
  | 'create-service-externalname'
  | 'explain'
  | 'edit';

const role = (s: Session, cluster: boolean) =>
  generated(s, (c) =>
    roleObject(
      c.client,
      s.args[0]!,
      {
        verbs: s.flags.verb ?? [],
        resources: s.flags.resource ?? [],
        resourceNames: s.flags.resourceName ?? [],
      },
      cluster,
    ),
  );

const binding = (s: Session, cluster: boolean) =>
  generated(s, () =>
    roleBindingObject(
      s.args[0]!,
      {
        ...(s.flags.role === undefined ? {} : { role: s.flags.role }),
        ...(s.flags.clusterrole === undefined ? {} : { clusterRole: s.flags.clusterrole }),
        users: [s.flags.user ?? []].flat(),
        groups: s.flags.group ?? [],
        serviceAccounts: s.flags.serviceaccount ?? [],
      },
      cluster,
    ),
  );

const HANDLERS: Record<MoreKubectlVerb, (s: Session) => Promise<void>> = {
  'create-role': (s) => role(s, false),
  'create-clusterrole': (s) => role(s, true),
  'create-rolebinding': (s) => binding(s, false),
  'create-clusterrolebinding': (s) => binding(s, true),
  'create-service-externalname': (s) =>
    generated(s, () => externalNameServiceObject(s.args[0]!, s.flags.externalName)),
  explain: (s) =>
    connected(s, async (c) => {
      if (s.args.length !== 1) throw usageError('We accept only this format: explain RESOURCE');
      s.io.stdout.write(await explain(c.client, s.args[0]!, Boolean(s.flags.recursive)));
    }),
  edit: (s) =>
    connected(s, async (c) => {
      const output = s.flags.output ?? 'yaml';
      if (output !== 'yaml' && output !== 'json')
        throw usageError(`the flag 'output' must be one of yaml|json`);
      const result = await new EditAction({ ...c, env: s.io.env, format: output }).run(s.args);
      for (const line of result.lines) s.io.stdout.write(`${line}\n`);
      for (const error of result.errors) s.io.stderr.write(kubectlErrorText(error));
      if (result.notice) s.io.stderr.write(`${result.notice}\n`);
      if (result.errors.length > 0) throw new ExitError(1);
    }),
};

/** Runs one of this module's kubectl commands; failures are printed in kubectl's words and exit 1. */
export function runMoreKubectl(
  io: CliIO,
  verb: MoreKubectlVerb,
  args: readonly string[],
  flags: KubectlFlags,
): Promise<void> {
  return runSession(io, HANDLERS[verb], args, flags);
}

/**
 * Running parsed commands: lists (with background jobs), `&&`/`||`, pipelines, `{ …; }` groups
 * and `( … )` sub-shells, `if`, `for`, and `while`/`until` loops, which are evaluated iteration
 * by iteration and, once they repeat, handed back as a lazily-read periodic tail. Simple commands
 * go to `shell-command.ts`.
 */

import { runSimple } from './shell-command.js';
import { expandWord } from './shell-expand.js';
import type { Shell } from './shell-interpreter.js';
import { Collector, type IO, type Outcome, type Target } from './shell-io.js';
import type { ShellNode } from './shell-parse.js';
import type { TimedLine } from './timeline.js';

/** Loop iterations evaluated one by one before a loop is taken as periodic. */
const MAX_EVALUATED_ITERATIONS = 10_000;

/** Runs a parsed command. */
export function execNode(shell: Shell, node: ShellNode, io: IO): Outcome {
  switch (node.type) {
    case 'list':
      return list(shell, node.items, io);
    case 'and':
    case 'or': {
      const left = shell.exec(node.left, io);
      if (left.forever || left.exited || left.control) return left;
      if ((left.code === 0) === (node.type === 'and')) return shell.exec(node.right, io);
      return left;
    }
    case 'pipe':
      return pipe(shell, node.commands, node.negate, io);
    case 'simple':
      return runSimple(shell, node, io);
    case 'group': {
      const redirected = shell.redirect(node.redirects, io);
      if (typeof redirected === 'number') return { code: redirected };
      if (!node.subshell) return shell.exec(node.body, redirected);
      const child = shell.fork();
      const outcome = child.exec(node.body, redirected);
      shell.t = child.t;
      return { code: outcome.code, ...(outcome.forever ? { forever: outcome.forever } : {}) };
    }
    case 'if': {
      const redirected = shell.redirect(node.redirects, io);
      if (typeof redirected === 'number') return { code: redirected };
      for (const branch of node.branches) {
        const condition = shell.exec(branch.condition, redirected);
        if (condition.forever || condition.exited) return condition;
        if (condition.code === 0) return shell.exec(branch.body, redirected);
      }
      return node.otherwise ? shell.exec(node.otherwise, redirected) : { code: 0 };
    }
    case 'for': {
      const redirected = shell.redirect(node.redirects, io);
      if (typeof redirected === 'number') return { code: redirected };
      const items = node.items.flatMap((w) => expandWord(w, shell));
      let last: Outcome = { code: 0 };
      for (const item of items) {
        shell.vars.set(node.name, item);
        last = shell.exec(node.body, redirected);
        if (last.forever || last.exited) return last;
        if (last.control === 'break') return { code: 0 };
      }
      return { code: last.code };
    }
    case 'loop':
      return loop(shell, node, io);
  }
}

function list(shell: Shell, items: readonly { node: ShellNode; background: boolean }[], io: IO): Outcome {
  let last: Outcome = { code: 0 };
  for (const item of items) {
    if (item.background) {
      // A background job: it runs alongside; what it prints before the script goes on is kept.
      const child = shell.fork();
      const outcome = child.exec(item.node, io);
      if (outcome.forever?.kind === 'app') last = { code: 0, forever: outcome.forever };
      shell.status = 0;
      continue;
    }
    last = shell.exec(item.node, io);
    shell.status = last.code;
    if (last.forever || last.exited || last.control) return last;
  }
  return last;
}

function pipe(shell: Shell, commands: readonly ShellNode[], negate: boolean, io: IO): Outcome {
  let stdin = io.stdin;
  let outcome: Outcome = { code: 0 };
  commands.forEach((command, index) => {
    const last = index === commands.length - 1;
    const buffer = { text: '' };
    const target: Target = last ? io.out : { kind: 'buffer', buffer };
    const child = shell.fork();
    outcome = child.exec(command, { out: target, err: io.err, stdin });
    shell.t = Math.max(shell.t, child.t);
    if (!last && outcome.forever) outcome = { code: 0, forever: { kind: 'silent' } };
    stdin = buffer.text;
  });
  if (outcome.forever) return outcome;
  const code = negate ? (outcome.code === 0 ? 1 : 0) : outcome.code;
  return { code };
}

/** `while`/`until`: evaluated iteration by iteration, then read lazily once it repeats. */
function loop(shell: Shell, node: Extract<ShellNode, { type: 'loop' }>, io: IO): Outcome {
  const redirected = shell.redirect(node.redirects, io);
  if (typeof redirected === 'number') return { code: redirected };
  let last: Outcome = { code: 0 };
  for (let n = 0; ; n++) {
    const iterationStart = shell.t;
    const before = shell.snapshot();
    shell.state.net.touched = false;
    const condition = shell.exec(node.condition, redirected);
    if (condition.forever || condition.exited) return condition;
    let goOn = (condition.code === 0) !== node.until;
    const waitsOnCluster = shell.state.net.touched;
    // A wait on the cluster that started before "now" went on: the container was seen running.
    if (!goOn && waitsOnCluster && iterationStart < shell.run.nowOffset) goOn = true;
    if (!goOn) return { code: last.code };
    last = shell.exec(node.body, redirected);
    if (last.forever || last.exited) return last;
    if (last.control === 'break') return { code: 0 };
    const period = shell.t - iterationStart;
    const unchanged = shell.snapshot() === before;
    const steady =
      constantCondition(node) ||
      (n > 0 && unchanged && iterationStart >= shell.run.nowOffset) ||
      n >= MAX_EVALUATED_ITERATIONS;
    if (steady) {
      const start = shell.t;
      const usedPeriod = Math.max(1, period);
      const template = shell.fork(new Collector(), 0, true);
      const iteration = (k: number): readonly TimedLine[] => {
        const collector = new Collector();
        const child = template.fork(collector, start + k * usedPeriod, true);
        child.exec(node.condition, redirected);
        child.exec(node.body, redirected);
        collector.flush(child.t);
        return collector.lines.map((l) => ({ ...l, at: l.at - (start + k * usedPeriod) }));
      };
      return {
        code: 0,
        forever: { kind: 'loop', at: start, period: usedPeriod, iteration, waitsOnCluster },
      };
    }
  }
}

function constantCondition(node: Extract<ShellNode, { type: 'loop' }>): boolean {
  const c = node.condition;
  if (c.type !== 'simple' || c.redirects.length > 0) return false;
  const words = c.words.map((w) => w.replace(/^['"]|['"]$/g, ''));
  const truthy =
    (words[0] === 'true' ||
      words[0] === ':' ||
      (words[0] === '[' && words.length === 3) ||
      (words[0] === 'test' && words.length === 2)) &&
    words.length <= 3;
  const falsy = words[0] === 'false';
  return node.until ? falsy : truthy;
}

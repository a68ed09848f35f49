import { describe, expect, it } from 'vitest';
import { interruptible } from '../../src/cli/commands/kubectl-follow.js';
import { durationFlag, podRunningTimeout } from '../../src/cli/commands/kubectl-pods-flags.js';
import type { CliIO } from '../../src/cli/io.js';

describe('pod verb flags', () => {
  it('reads Go durations in ms and refuses others in kubectl words', () => {
    expect(durationFlag(undefined, 'since')).toBeUndefined();
    expect(durationFlag('1m30s', 'since')).toBe(90_000);
    expect(() => durationFlag('5x', 'since')).toThrow(
      'invalid argument "5x" for "--since" flag: time: invalid duration "5x"',
    );
  });

  it('wants a positive --pod-running-timeout', () => {
    expect(podRunningTimeout({ podRunningTimeout: '20s' })).toBe(20_000);
    expect(podRunningTimeout({})).toBeUndefined();
    expect(() => podRunningTimeout({ podRunningTimeout: '0s' })).toThrow(
      '--pod-running-timeout must be higher than zero',
    );
  });
});

describe('interruptible', () => {
  it('cuts a wait short on an interrupt, and releases its listener', async () => {
    let listener: (() => void) | undefined;
    let released = false;
    const io = {
      onInterrupt: (l: () => void) => {
        listener = l;
        return () => {
          released = true;
        };
      },
    } as unknown as CliIO;
    const follow = interruptible(io);
    expect(follow.stopped()).toBe(false);
    const waited = follow.wait(60_000);
    listener?.();
    await waited;
    expect(follow.stopped()).toBe(true);
    await follow.wait(60_000);
    follow.release();
    expect(released).toBe(true);
  });
});

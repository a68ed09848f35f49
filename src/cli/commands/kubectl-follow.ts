/**
 * How a kubectl command that follows something (`logs -f`, an attached `run`, `drain`) waits:
 * it stops on an interrupt (Ctrl-C), and lets cluster time pass in step with the wall clock.
 */

import type { KubeClient } from '../../kube/index.js';
import type { CliIO } from '../io.js';

/** Interrupts (Ctrl-C) for a command that follows: whether one came, and a wait it cuts short. */
export function interruptible(io: CliIO): {
  stopped: () => boolean;
  wait: (ms: number) => Promise<void>;
  release: () => void;
} {
  let interrupted = false;
  let wake: (() => void) | undefined;
  const release = io.onInterrupt?.(() => {
    interrupted = true;
    wake?.();
  });
  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      if (interrupted) return resolve();
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });
  return { stopped: () => interrupted, wait, release: () => release?.() };
}

/** Lets `ms` of cluster time pass in step with the wall clock (a real cluster's sleep already is). */
export const paced =
  (client: KubeClient, wait: (ms: number) => Promise<void>) =>
  async (ms: number): Promise<void> => {
    await Promise.all([client.sleep(ms), wait(ms)]);
  };

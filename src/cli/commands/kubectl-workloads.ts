/**
 * kubectl's scale, rollout, set image, set env (not written yet).
 */

import type { Command } from 'commander';
import type { CliIO } from '../io.js';

/** Registers the verbs under `kubectl`. */
export function registerWorkloadVerbs(_kubectl: Command, _io: CliIO): void {}

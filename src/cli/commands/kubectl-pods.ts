/**
 * kubectl's run, expose, logs, exec, taint, cordon, uncordon, drain, top (not written yet).
 */

import type { Command } from 'commander';
import type { CliIO } from '../io.js';

/** Registers the verbs under `kubectl`. */
export function registerPodVerbs(_kubectl: Command, _io: CliIO): void {}

/**
 * `bosun history NAME`: the revisions of a release (Helm's `pkg/action/history.go` and the
 * selection in `pkg/cmd/history.go`).
 */

import { InvalidArgumentError, ReleaseNotFoundError } from '../../internal/errors.js';
import type { Release } from '../../release/release.js';
import { validateReleaseName } from '../release-name.js';
import type { ReleaseContext } from './context.js';

/** Helm's default `history --max`. */
export const DEFAULT_HISTORY_MAX = 256;

/** Options of {@link HistoryAction}. */
export interface HistoryOptions {
  /**
   * `--max`: keep the newest this many revisions. As in Helm, 0 (or less) keeps none, which
   * prints only the table header. @default 256
   */
  readonly max?: number;
}

/** Reads a release's history, as `helm history` does. */
export class HistoryAction {
  constructor(
    private readonly ctx: ReleaseContext,
    private readonly options: HistoryOptions = {},
  ) {}

  /**
   * The newest `max` revisions, oldest first. Throws `release: not found` when the release has no
   * revision at all (Helm's storage query fails so).
   */
  async run(name: string): Promise<Release[]> {
    try {
      validateReleaseName(name);
    } catch (err) {
      throw new InvalidArgumentError(`release name is invalid: ${name}`, { cause: err });
    }
    const history = await this.ctx.storage.history(name);
    if (history.length === 0) throw new ReleaseNotFoundError();
    const sorted = [...history].sort((a, b) => a.version - b.version);
    const max = Math.max(0, this.options.max ?? DEFAULT_HISTORY_MAX);
    return max === 0 ? [] : sorted.slice(-max);
  }
}

/**
 * The error taxonomy: every expected failure is a `BosunError` with a stable `code`.
 * The CLI maps codes to exit codes and prints `Error: <message>` on one line.
 */

/** Stable error codes; `cli/` maps them to exit codes. */
export type ErrorCode =
  | 'INVALID_ARGUMENT'
  | 'CHART_INVALID'
  | 'CHART_NOT_FOUND'
  | 'ARCHIVE_INVALID'
  | 'LIMIT_EXCEEDED'
  | 'VALUES_INVALID'
  | 'SCHEMA_INVALID'
  | 'YAML_INVALID'
  | 'RENDER_FAILED'
  | 'LINT_FAILED'
  | 'IO'
  | 'RELEASE_NOT_FOUND'
  | 'RELEASE_EXISTS'
  | 'RELEASE_IN_PROGRESS'
  | 'RELEASE_FAILED'
  | 'TIMEOUT'
  | 'INTERNAL';

/** Base class of every expected bosun error. */
export class BosunError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Bad command-line input: a flag, an argument or a `--set` expression. */
export class InvalidArgumentError extends BosunError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('INVALID_ARGUMENT', message, options);
  }
}

/** A chart that cannot be loaded or is not valid (Chart.yaml, layout, dependencies). */
export class ChartInvalidError extends BosunError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CHART_INVALID', message, options);
  }
}

/** A chart archive that is malformed or unsafe (traversal, links, size limits). */
export class ArchiveError extends BosunError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ARCHIVE_INVALID', message, options);
  }
}

/** A size, depth or count limit was hit. */
export class LimitError extends BosunError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('LIMIT_EXCEEDED', message, options);
  }
}

/** Values that cannot be parsed or merged. */
export class ValuesError extends BosunError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('VALUES_INVALID', message, options);
  }
}

/** Values that do not meet a chart's `values.schema.json`. */
export class SchemaValidationError extends BosunError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SCHEMA_INVALID', message, options);
  }
}

/** A YAML document that does not parse; `source` names the file, `line` is 1-based. */
export class YamlError extends BosunError {
  readonly source: string;
  readonly line: number | undefined;
  constructor(source: string, detail: string, line?: number, options?: { cause?: unknown }) {
    super('YAML_INVALID', `${source}${line === undefined ? '' : `:${line}`}: ${detail}`, options);
    this.source = source;
    this.line = line;
  }
}

/** A template that fails to parse or render; names the template file and line. */
export class RenderError extends BosunError {
  readonly template: string;
  readonly line: number | undefined;
  constructor(template: string, line: number | undefined, detail: string, options?: { cause?: unknown }) {
    super('RENDER_FAILED', `${template}${line === undefined ? '' : `:${line}`}: ${detail}`, options);
    this.template = template;
    this.line = line;
  }
}

/** A file-system failure that is the user's to fix (missing file, not a directory). */
export class IoError extends BosunError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('IO', message, options);
  }
}

/** A release (or one revision of it) that is not in storage: `release: not found`. */
export class ReleaseNotFoundError extends BosunError {
  constructor(message = 'release: not found', options?: { cause?: unknown }) {
    super('RELEASE_NOT_FOUND', message, options);
  }
}

/** A release name in use, or a revision stored twice: `cannot reuse a name that is still in use`. */
export class ReleaseExistsError extends BosunError {
  constructor(message = 'release: already exists', options?: { cause?: unknown }) {
    super('RELEASE_EXISTS', message, options);
  }
}

/** Another operation holds the release: `another operation (install/upgrade/rollback) is in progress`. */
export class ReleaseInProgressError extends BosunError {
  constructor(
    message = 'another operation (install/upgrade/rollback) is in progress',
    options?: { cause?: unknown },
  ) {
    super('RELEASE_IN_PROGRESS', message, options);
  }
}

/** An install, upgrade, rollback, uninstall or test that failed on the cluster (hooks, apply, wait). */
export class ReleaseFailedError extends BosunError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('RELEASE_FAILED', message, options);
  }
}

/** A wait that ran out of time (`--timeout`). */
export class TimeoutError extends BosunError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('TIMEOUT', message, options);
  }
}

/** Returns the message of any thrown value. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Release-name rules (`pkg/chart/v2/util/validate_name.go`). */

import { InvalidArgumentError } from '../internal/errors.js';

/** Longest release name (a label value is 63; Helm keeps 10 for suffixes). */
export const MAX_RELEASE_NAME_LENGTH = 53;
const RELEASE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Throws Helm's error when `name` is not a valid release name. */
export function validateReleaseName(name: string): void {
  if (name === '') throw new InvalidArgumentError('no name provided');
  if (name.length > MAX_RELEASE_NAME_LENGTH || !RELEASE_NAME.test(name)) {
    throw new InvalidArgumentError(
      `invalid release name "${name}": must match regex ${RELEASE_NAME.source} and the length must not be longer than ${MAX_RELEASE_NAME_LENGTH}`,
    );
  }
}

/**
 * `kubectl explain RESOURCE[.field.path] [--recursive]`: the resource argument resolved through
 * discovery, the text from the kinds' OpenAPI definitions.
 */

import { ExplainFieldError, explainText, type KubeClient } from '../../kube/index.js';
import { resolveResource, usageError } from './context.js';

/** Explains `arg` (`deployment.spec.replicas`, `pods`): kubectl's text. */
export async function explain(client: KubeClient, arg: string, recursive = false): Promise<string> {
  if (arg === '') throw usageError('You must specify the type of resource to explain.');
  const [resource = '', ...path] = arg.split('.');
  const [kind] = await resolveResource(client, resource);
  try {
    const text = await explainText(kind!, { path, recursive });
    if (text === undefined) throw usageError(`couldn't find resource for "${kind!.kind}"`);
    return text;
  } catch (error) {
    throw error instanceof ExplainFieldError ? usageError(error.message) : error;
  }
}

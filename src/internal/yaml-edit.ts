/**
 * Edits a YAML document in place, keeping its comments and layout (the `yaml` package's document
 * model). Used where bosun rewrites a file a person wrote, such as Chart.yaml for
 * `package --version`; Helm re-serializes the whole file and loses the comments.
 */

import { YamlError } from './errors.js';

/** Sets top-level string fields of a YAML map document; returns the new text. */
export async function setTopLevelStrings(
  text: string,
  updates: Readonly<Record<string, string>>,
  source: string,
): Promise<string> {
  const YAML = await import('yaml');
  const doc = YAML.parseDocument(text, { version: '1.1' });
  if (doc.errors.length > 0) throw new YamlError(source, doc.errors[0]!.message.split('\n')[0]!);
  for (const [key, value] of Object.entries(updates)) {
    // Keep the existing node (and the comments hanging on it) when there is one.
    const existing = doc.get(key, true);
    const node = YAML.isScalar(existing) ? existing : doc.createNode(value);
    node.value = value;
    // Quote values YAML 1.1 would read as another type (`1.0`, `yes`).
    node.type = typeof YAML.parse(value, { version: '1.1' }) === 'string' ? 'PLAIN' : 'QUOTE_DOUBLE';
    if (node !== existing) doc.set(key, node);
  }
  return doc.toString();
}

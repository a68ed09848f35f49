/**
 * Field selectors, as `k8s.io/apimachinery/pkg/fields` parses them: comma-separated terms with
 * `=`, `==` or `!=` (backslash escapes `\,`, `\=`, `\\` in values), checked against the fields the
 * resource supports (`field label not supported: …`).
 */

import { badRequest } from './api-errors.js';
import { isSelectableField, selectableFieldValue } from './selectable-fields.js';

/** One term: the field, whether it must equal (or differ from) the value, and the value. */
export interface FieldTerm {
  readonly field: string;
  readonly operator: '=' | '!=';
  readonly value: string;
}

/** A parsed field selector: every term must hold. */
export interface FieldSelector {
  readonly terms: readonly FieldTerm[];
}

const TERM_OPERATORS = ['!=', '==', '='] as const;

/** Splits on commas not escaped by a backslash (the backslash stays in the term). */
function splitTerms(text: string): string[] {
  if (text === '') return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms;
}

function unescapeValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') {
        throw badRequest(`invalid field selector: invalid escape sequence: \\${c}`);
      }
      out += c;
      inSlash = false;
    } else if (c === '\\') {
      inSlash = true;
    } else if (c === ',' || c === '=') {
      // Go prints the rune with %v: its code point.
      throw badRequest(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    } else {
      out += c;
    }
  }
  if (inSlash) throw badRequest('invalid field selector: invalid escape sequence: \\');
  return out;
}

/**
 * Parses a field selector (`metadata.name=web,status.phase!=Running`). The empty string selects
 * everything. Throws 400 BadRequest on syntax errors.
 */
export function parseFieldSelector(text: string): FieldSelector {
  const terms: FieldTerm[] = [];
  for (const part of splitTerms(text).sort()) {
    if (part === '') continue;
    let found: FieldTerm | undefined;
    for (let i = 0; i < part.length && found === undefined; i++) {
      const op = TERM_OPERATORS.find((o) => part.startsWith(o, i));
      if (op !== undefined) {
        found = {
          field: part.slice(0, i),
          operator: op === '!=' ? '!=' : '=',
          value: unescapeValue(part.slice(i + op.length)),
        };
      }
    }
    if (found === undefined) throw badRequest(`invalid selector: '${text}'; can't understand '${part}'`);
    terms.push(found);
  }
  return { terms };
}

/** Throws 400 `field label not supported: <field>` for a term the resource cannot be selected by. */
export function checkFieldSelector(resource: string, selector: FieldSelector): void {
  for (const term of selector.terms) {
    if (!isSelectableField(resource, term.field))
      throw badRequest(`field label not supported: ${term.field}`);
  }
}

/** Whether an object of `resource` satisfies every term. */
export function matchesFields(resource: string, selector: FieldSelector, object: unknown): boolean {
  return selector.terms.every((term) => {
    const value = selectableFieldValue(resource, object, term.field);
    if (value === undefined) return false;
    return term.operator === '=' ? value === term.value : value !== term.value;
  });
}

/** The canonical string of a field selector (`metadata.name=web`). */
export function fieldSelectorToString(selector: FieldSelector): string {
  const escapeValue = (v: string) => v.replace(/[\\,=]/g, (c) => `\\${c}`);
  return selector.terms.map((t) => `${t.field}${t.operator}${escapeValue(t.value)}`).join(',');
}

/**
 * The parser of the label selector query-string syntax (`labels.Parse`): its lexer, its
 * recursive descent and its error messages, kept as Kubernetes words them.
 */

import { isQualifiedName } from '../../../internal/k8s-names.js';
import {
  BINARY_OPERATORS,
  invalidLine,
  type LabelSelector,
  newRequirement,
  type Requirement,
  type SelectorOperator,
  selectorError,
  sortByKey,
} from './label-requirement.js';

/** A parse failure inside the parser, turned into a selector error at the top. */
class ParseFailure extends Error {}

type Token =
  | 'end'
  | 'id'
  | '('
  | ')'
  | ','
  | '!'
  | '='
  | '=='
  | '!='
  | 'in'
  | 'notin'
  | 'gt'
  | 'lt'
  | 'error';

const LITERAL_TOKENS: Readonly<Record<string, Token>> = {
  ')': ')',
  ',': ',',
  '!': '!',
  '==': '==',
  '=': '=',
  '>': 'gt',
  in: 'in',
  '<': 'lt',
  '!=': '!=',
  notin: 'notin',
  '(': '(',
};

const isSpecial = (c: string): boolean => '=!(),><'.includes(c);
const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';

/** The lexer of `labels.Parse`: identifiers end at whitespace or a special symbol. */
function lex(text: string): { tok: Token; lit: string }[] {
  const out: { tok: Token; lit: string }[] = [];
  let pos = 0;
  for (;;) {
    while (pos < text.length && isSpace(text[pos]!)) pos++;
    if (pos >= text.length) {
      out.push({ tok: 'end', lit: '' });
      return out;
    }
    if (isSpecial(text[pos]!)) {
      let buffer = '';
      let last: { tok: Token; lit: string } | undefined;
      while (pos < text.length && isSpecial(text[pos]!)) {
        buffer += text[pos];
        const tok = LITERAL_TOKENS[buffer];
        if (tok !== undefined) last = { tok, lit: buffer };
        else if (last !== undefined) break;
        pos++;
      }
      out.push(last ?? { tok: 'error', lit: `error expected: keyword found '${buffer}'` });
      if (last === undefined) return [...out, { tok: 'end', lit: '' }];
    } else {
      let lit = '';
      while (pos < text.length && !isSpecial(text[pos]!) && !isSpace(text[pos]!)) lit += text[pos++];
      out.push({ tok: LITERAL_TOKENS[lit] ?? 'id', lit });
    }
  }
}

/** The recursive-descent parser of `labels.Parse`. */
class Parser {
  private pos = 0;
  constructor(private readonly items: { tok: Token; lit: string }[]) {}

  /** In a values context, `in` and `notin` are plain identifiers. */
  private peek(values: boolean): { tok: Token; lit: string } {
    const item = this.items[Math.min(this.pos, this.items.length - 1)]!;
    return values && (item.tok === 'in' || item.tok === 'notin') ? { tok: 'id', lit: item.lit } : item;
  }

  private next(values: boolean): { tok: Token; lit: string } {
    const item = this.peek(values);
    this.pos++;
    return item;
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = [];
    for (;;) {
      const { tok, lit } = this.peek(true);
      if (tok === 'end') return reqs;
      if (tok !== 'id' && tok !== '!')
        throw new ParseFailure(`found '${lit}', expected: !, identifier, or 'end of string'`);
      const r = this.requirement();
      if (typeof r === 'string') throw new ParseFailure(`unable to parse requirement: ${r}`);
      reqs.push(r);
      const after = this.next(true);
      if (after.tok === 'end') return reqs;
      if (after.tok !== ',') throw new ParseFailure(`found '${after.lit}', expected: ',' or 'end of string'`);
      const following = this.peek(true);
      if (following.tok !== 'id' && following.tok !== '!')
        throw new ParseFailure(`found '${following.lit}', expected: identifier after ','`);
    }
  }

  private requirement(): Requirement | string {
    let { tok, lit } = this.next(true);
    let operator: SelectorOperator | undefined;
    if (tok === '!') {
      operator = '!';
      ({ tok, lit } = this.next(true));
    }
    if (tok !== 'id') return `found '${lit}', expected: identifier`;
    const keyErrs = isQualifiedName(lit);
    if (keyErrs.length > 0) return invalidLine('<nil>', lit, keyErrs.join('; '));
    const key = lit;
    const la = this.peek(true).tok;
    // `!key` never takes an operator: what follows is the parser's business.
    if (operator === '!' || la === 'end' || la === ',') return newRequirement(key, operator ?? 'exists', []);
    const op = this.next(false);
    let values: string[] | string;
    switch (op.tok) {
      case 'in':
      case 'notin':
        values = this.setValues();
        break;
      case '=':
      case '==':
      case '!=':
      case 'gt':
      case 'lt':
        values = this.exactValue();
        break;
      default:
        return `found '${op.lit}', expected: ${BINARY_OPERATORS.join(', ')}`;
    }
    if (typeof values === 'string') return values;
    return newRequirement(key, op.tok, values);
  }

  private setValues(): string[] | string {
    const open = this.next(true);
    if (open.tok !== '(') return `found '${open.lit}' expected: '('`;
    const { tok, lit } = this.peek(true);
    if (tok === ')') {
      this.next(true);
      return [''];
    }
    if (tok !== 'id' && tok !== ',') return `found '${lit}', expected: ',', ')' or identifier`;
    const values = new Set<string>();
    for (;;) {
      const item = this.next(true);
      if (item.tok === 'id') {
        values.add(item.lit);
        const after = this.peek(true);
        if (after.tok === ',') continue;
        if (after.tok === ')') break;
        return `found '${after.lit}', expected: ',' or ')'`;
      }
      if (item.tok === ',') {
        if (values.size === 0) values.add('');
        const after = this.peek(true);
        if (after.tok === ')') {
          values.add('');
          break;
        }
        if (after.tok === ',') {
          this.next(true);
          values.add('');
        }
        continue;
      }
      return `found '${item.lit}', expected: ',', or identifier`;
    }
    const close = this.next(true);
    if (close.tok !== ')') return `found '${lit}', expected: ')'`;
    return [...values];
  }

  private exactValue(): string[] | string {
    const la = this.peek(true);
    if (la.tok === 'end' || la.tok === ',') return [''];
    const item = this.next(true);
    return item.tok === 'id' ? [item.lit] : `found '${item.lit}', expected: identifier`;
  }
}

/**
 * Parses the query-string syntax (`labelSelector=`, `kubectl -l`). The empty string selects
 * everything. Throws 400 BadRequest with Kubernetes' parser message.
 */
export function parseLabelSelector(text: string): LabelSelector {
  try {
    return { requirements: sortByKey(new Parser(lex(text)).parse()) };
  } catch (error) {
    if (error instanceof ParseFailure) throw selectorError(error.message);
    throw error;
  }
}

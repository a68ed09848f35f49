/**
 * The scanner: turns template source into tokens with Handlebars' lexical rules (its jison
 * lexer, rule for rule and in the same order), by scanning char codes rather than running a
 * regular expression per token.
 *
 * Modes: text (content up to `{{`), tag (inside `{{ … }}`), escaped text (after `\{{`) and
 * raw (inside `{{{{raw}}}}…{{{{/raw}}}}`).
 */

import {
  APOS,
  ASCII_ID,
  BACKSLASH,
  endsId,
  isDigit,
  isIdChar,
  isWordChar,
  isWs,
  LBRACE,
  QUOTE,
  RBRACE,
  TILDE,
} from './chars.js';
import { commentEnd, keywordEnd, numberEnd, quotedEnd } from './lexer-literals.js';
import { LexError, Tok, TokenBuffer, type TokType } from './tokens.js';

enum Mode {
  Text,
  Tag,
  Escaped,
  Raw,
}

const shared = new TokenBuffer();

/**
 * Tokenizes a whole template into the shared buffer (valid until the next call). Token values
 * are source ranges: a content token's range leaves out an escaping backslash. Throws
 * `LexError` on input Handlebars' lexer rejects.
 */
export function tokenize(src: string): TokenBuffer {
  shared.count = 0;
  new Scanner(src, shared).run();
  return shared;
}

class Scanner {
  private pos = 0;
  private mode = Mode.Text;
  private rawDepth = 0;

  constructor(
    private readonly src: string,
    private readonly tokens: TokenBuffer,
  ) {}

  run(): void {
    const n = this.src.length;
    while (this.pos < n) {
      if (this.mode === Mode.Text) this.text();
      else if (this.mode === Mode.Tag) this.tagTokens();
      else if (this.mode === Mode.Escaped) this.escaped();
      else this.raw();
    }
    this.tokens.finish(n);
  }

  /**
   * The tokens of a tag, up to its end. The common ones (names, `.`, parentheses, `}}`, after
   * spaces) are scanned here in one loop; the rest, and every error, through `tag()`, which
   * follows Handlebars' rule order (the shortcuts below give what it would give).
   */
  private tagTokens(): void {
    const src = this.src;
    const n = src.length;
    const tokens = this.tokens;
    let pos = this.pos;
    while (pos < n) {
      let c = src.charCodeAt(pos);
      while (c === 32 && ++pos < n) c = src.charCodeAt(pos);
      if (pos >= n) break;
      let type = -1;
      let end = pos + 1;
      if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36) {
        // A name, unless it may be a keyword or `as |` (left to `tag()`).
        if (
          !(c === 116 && src.startsWith('true', pos)) &&
          !(c === 102 && src.startsWith('false', pos)) &&
          !(c === 117 && src.startsWith('undefined', pos)) &&
          !(c === 110 && src.startsWith('null', pos)) &&
          !(c === 97 && src.charCodeAt(pos + 1) === 115)
        ) {
          for (; end < n; end++) {
            const d = src.charCodeAt(end);
            if (d < 128 ? ASCII_ID[d] === 0 : !isIdChar(d)) break;
          }
          if (end < n && endsId(src.charCodeAt(end))) type = Tok.ID;
        }
      } else if (c === RBRACE) {
        // `}}` (not `}}}` or `}}}}`): the end of the tag.
        if (src.charCodeAt(pos + 1) === RBRACE && src.charCodeAt(pos + 2) !== RBRACE) {
          type = Tok.CLOSE;
          end = pos + 2;
        }
      } else if (c === TILDE) {
        if (src.charCodeAt(pos + 1) === RBRACE && src.charCodeAt(pos + 2) === RBRACE) {
          type = Tok.CLOSE;
          end = pos + 3;
        }
      } else if (c === 46) {
        // `.` between names (not `..`, not `.` standing alone as `this`).
        const d = src.charCodeAt(pos + 1);
        if (d !== 46 && !(pos + 1 < n && endsId(d))) type = Tok.SEP;
      } else if (c === 40) type = Tok.OPEN_SEXPR;
      else if (c === 41) type = Tok.CLOSE_SEXPR;
      if (type < 0) {
        this.pos = pos;
        this.tag();
        if (this.mode !== Mode.Tag) return;
        pos = this.pos;
        continue;
      }
      const k = tokens.count;
      if (k === tokens.types.length) tokens.grow();
      tokens.types[k] = type;
      tokens.starts[k] = pos;
      tokens.ends[k] = end;
      tokens.count = k + 1;
      pos = end;
      if (type === Tok.CLOSE) {
        this.pos = pos;
        this.mode = Mode.Text;
        return;
      }
    }
    this.pos = pos;
  }

  /** Emits a token ending at `end` (always true: lets scanners `return this.push(…)`). */
  private push(type: TokType, start: number, end: number): true {
    const tokens = this.tokens;
    const k = tokens.count;
    if (k === tokens.types.length) tokens.grow();
    tokens.types[k] = type;
    tokens.starts[k] = start;
    tokens.ends[k] = end;
    tokens.count = k + 1;
    this.pos = end;
    return true;
  }

  private code(i: number): number {
    return this.src.charCodeAt(i);
  }

  /** Content up to the next `{{`; a `\` before it escapes the tag, `\\` escapes the backslash. */
  private text(): void {
    const { src, pos } = this;
    const q = src.indexOf('{{', pos);
    if (q < 0) {
      this.push(Tok.CONTENT, pos, src.length);
      return;
    }
    let end = q;
    if (q > pos && src.charCodeAt(q - 1) === BACKSLASH) {
      end = q - 1;
      this.mode = q - pos >= 2 && src.charCodeAt(q - 2) === BACKSLASH ? Mode.Tag : Mode.Escaped;
    } else {
      this.mode = Mode.Tag;
    }
    if (end > pos) this.push(Tok.CONTENT, pos, end);
    this.pos = q;
  }

  /** After `\{{`: literal text up to the next `{{`, `\{{` or `\\{{` (at least the `{{`). */
  private escaped(): void {
    const { src, pos } = this;
    const r = src.indexOf('{{', pos + 2);
    let k = r < 0 ? src.length : r;
    if (r >= 0 && r - 1 >= pos + 2 && this.code(r - 1) === BACKSLASH) {
      k = r - 2 >= pos + 2 && this.code(r - 2) === BACKSLASH ? r - 2 : r - 1;
    }
    this.push(Tok.CONTENT, pos, k);
    this.mode = Mode.Text;
  }

  /** Inside a raw block: nested raw tags are content; the matching close ends the block. */
  private raw(): void {
    const { src, pos } = this;
    if (src.startsWith('{{{{', pos) && pos + 4 < src.length) {
      if (this.code(pos + 4) !== 47) {
        this.rawDepth++;
        this.push(Tok.CONTENT, pos, pos + 4);
        return;
      }
      let e = pos + 5;
      while (e < src.length && isIdChar(this.code(e))) e++;
      if (e > pos + 5 && src.startsWith('}}}}', e)) {
        if (--this.rawDepth > 0) {
          this.push(Tok.CONTENT, pos, e + 4);
        } else {
          this.push(Tok.END_RAW_BLOCK, pos, e + 4);
          this.mode = Mode.Text;
        }
        return;
      }
    }
    const r = src.indexOf('{{{{', pos + 1);
    if (r < 0) throw new LexError('unterminated raw block', pos);
    this.push(Tok.CONTENT, pos, r);
  }

  /** One token inside a tag (whitespace before it skipped). */
  private tag(): true {
    const src = this.src;
    let pos = this.pos;
    let c = src.charCodeAt(pos);
    if (c === 32 || isWs(c)) {
      do c = src.charCodeAt(++pos);
      while (pos < src.length && (c === 32 || isWs(c)));
      this.pos = pos;
      if (pos >= src.length) return true;
    }
    // Letters first: names are the most common token. Rule order: keywords, `as |`, names.
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36) {
      if ((c === 116 || c === 102 || c === 117 || c === 110) && this.keyword(c)) return true;
      if (c === 97 && src.charCodeAt(pos + 1) === 115 && this.blockParamsOpen()) return true;
      return this.identifier();
    }
    switch (c) {
      case LBRACE:
        if (src.charCodeAt(pos + 1) === LBRACE) return this.openTag();
        break;
      case 40:
        return this.push(Tok.OPEN_SEXPR, pos, pos + 1);
      case 41:
        return this.push(Tok.CLOSE_SEXPR, pos, pos + 1);
      case 61:
        return this.push(Tok.EQUALS, pos, pos + 1);
      case 46:
        if (src.charCodeAt(pos + 1) === 46) return this.push(Tok.ID, pos, pos + 2);
        if (pos + 1 < src.length && endsId(src.charCodeAt(pos + 1))) return this.push(Tok.ID, pos, pos + 1);
        return this.push(Tok.SEP, pos, pos + 1);
      case 47:
        return this.push(Tok.SEP, pos, pos + 1);
      case RBRACE:
        if (src.startsWith('}}}}', pos)) {
          this.push(Tok.CLOSE_RAW_BLOCK, pos, pos + 4);
          this.mode = Mode.Raw;
          this.rawDepth = 1;
          return true;
        }
        if (src.startsWith('}}}', pos)) return this.close(Tok.CLOSE_UNESCAPED, pos + 3);
        if (src.startsWith('}~}}', pos)) return this.close(Tok.CLOSE_UNESCAPED, pos + 4);
        if (src.charCodeAt(pos + 1) === RBRACE) return this.close(Tok.CLOSE, pos + 2);
        break;
      case TILDE:
        if (src.startsWith('}}', pos + 1)) return this.close(Tok.CLOSE, pos + 3);
        break;
      case QUOTE:
      case APOS:
        return this.string(c);
      case 64:
        return this.push(Tok.DATA, pos, pos + 1);
      case 124:
        return this.push(Tok.CLOSE_BLOCK_PARAMS, pos, pos + 1);
      case 91:
        return this.bracket();
    }
    if ((c === 45 || isDigit(c)) && this.number()) return true;
    return this.identifier();
  }

  /** `as\s+\|`. */
  private blockParamsOpen(): boolean {
    const { src, pos } = this;
    let i = pos + 2;
    if (!isWs(src.charCodeAt(i))) return false;
    while (i < src.length && isWs(src.charCodeAt(i))) i++;
    return src.charCodeAt(i) === 124 && this.push(Tok.OPEN_BLOCK_PARAMS, pos, i + 1);
  }

  /** A name: identifier characters up to one of `[=~}\s\/.)|]`. */
  private identifier(): true {
    const { src, pos } = this;
    let e = pos;
    for (; e < src.length; e++) {
      const c = src.charCodeAt(e);
      if (c < 128 ? ASCII_ID[c] === 0 : !isIdChar(c)) break;
    }
    if (e > pos && e < src.length && endsId(src.charCodeAt(e))) return this.push(Tok.ID, pos, e);
    if (e === src.length) throw new LexError('expected "}}", got end of template', e);
    const c = src.codePointAt(pos) ?? 0;
    throw new LexError(`unexpected character "${String.fromCodePoint(c)}"`, pos);
  }

  private close(type: TokType, end: number): true {
    this.push(type, this.pos, end);
    this.mode = Mode.Text;
    return true;
  }

  /** The opening of a tag: `{{`, `{{#`, `{{/`, `{{^`, `{{else`, `{{!`, `{{>`, `{{{{` … */
  private openTag(): true {
    const { src, pos } = this;
    if (src.startsWith('{{{{', pos)) return this.push(Tok.OPEN_RAW_BLOCK, pos, pos + 4);
    let p = pos + 2;
    if (this.code(p) === TILDE) p++;
    const c = this.code(p);
    switch (c) {
      case 62:
        return this.push(Tok.OPEN_PARTIAL, pos, p + 1);
      case 35: {
        const d = this.code(p + 1);
        if (d === 62) return this.push(Tok.OPEN_PARTIAL_BLOCK, pos, p + 2);
        if (d === 42) return this.push(Tok.DECORATOR_BLOCK, pos, p + 2);
        return this.push(Tok.OPEN_BLOCK, pos, p + 1);
      }
      case 47:
        return this.push(Tok.OPEN_ENDBLOCK, pos, p + 1);
      case 94: {
        const end = this.closesAt(p + 1);
        if (end > 0) return this.close(Tok.INVERSE, end);
        return this.push(Tok.OPEN_INVERSE, pos, p + 1);
      }
    }
    let q = p;
    while (q < src.length && isWs(this.code(q))) q++;
    if (src.startsWith('else', q)) {
      const end = this.closesAt(q + 4);
      if (end > 0) return this.close(Tok.INVERSE, end);
      if (q + 4 >= src.length || !isWordChar(this.code(q + 4)))
        return this.push(Tok.OPEN_INVERSE_CHAIN, pos, q + 4);
    }
    switch (c) {
      case LBRACE:
        return this.push(Tok.OPEN_UNESCAPED, pos, p + 1);
      case 38:
        return this.push(Tok.OPEN, pos, p + 1);
      case 33:
        return this.comment(p);
      case 42:
        return this.push(Tok.DECORATOR, pos, p + 1);
    }
    return this.push(Tok.OPEN, pos, p);
  }

  /** If `\s*~?}}` follows `i`, the offset after it; else -1. */
  private closesAt(i: number): number {
    const { src } = this;
    while (i < src.length && isWs(this.code(i))) i++;
    if (this.code(i) === TILDE) i++;
    return src.startsWith('}}', i) ? i + 2 : -1;
  }

  /** `{{! … }}` or `{{!-- … --}}` (`bang` at its `!`). */
  private comment(bang: number): true {
    return this.close(Tok.COMMENT, commentEnd(this.src, this.pos, bang));
  }

  private string(quote: number): true {
    return this.push(Tok.STRING, this.pos, quotedEnd(this.src, this.pos, quote, 'unterminated string'));
  }

  private bracket(): true {
    return this.push(Tok.ID, this.pos, quotedEnd(this.src, this.pos, 93, 'unterminated [segment]'));
  }

  /** `true`, `false`, `undefined`, `null` followed by `[~}\s)]`. */
  private keyword(c: number): boolean {
    const end = keywordEnd(this.src, this.pos, c);
    if (end < 0) return false;
    this.push(c === 117 ? Tok.UNDEFINED : c === 110 ? Tok.NULL : Tok.BOOLEAN, this.pos, end);
    return true;
  }

  /** `-?[0-9]+(\.[0-9]+)?` followed by `[~}\s)]`. */
  private number(): boolean {
    const end = numberEnd(this.src, this.pos);
    if (end < 0) return false;
    this.push(Tok.NUMBER, this.pos, end);
    return true;
  }
}

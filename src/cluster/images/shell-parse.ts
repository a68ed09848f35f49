/**
 * The subset of the POSIX shell language that container commands use (`sh -c "…"` in pod specs,
 * `kubectl exec … -- sh -c`, exec probes): lists with `;`, `&`, `&&`, `||` and newlines,
 * pipelines, `while`/`until`/`for`/`if`, `{ …; }` and `( … )` groups, assignments and
 * redirections. Words keep their quoting; they are expanded when the command runs. The words
 * and operators come from the tokenizer in `shell-tokenize.ts`.
 */

import { ShellSyntaxError, type Token, tokenize } from './shell-tokenize.js';

export { ShellSyntaxError, skipBalanced, tokenize } from './shell-tokenize.js';

/** A redirection: `> f`, `>> f`, `< f`, `2> f`, `2>&1`, `>&2`, `&> f`. */
export interface Redirect {
  readonly fd: number;
  readonly op: '>' | '>>' | '<' | '>&' | '&>';
  /** The target word (a file) or, for `>&`, the fd it duplicates. */
  readonly target: string;
}

/** A parsed shell command. */
export type ShellNode =
  | {
      readonly type: 'list';
      readonly items: readonly { readonly node: ShellNode; readonly background: boolean }[];
    }
  | { readonly type: 'and' | 'or'; readonly left: ShellNode; readonly right: ShellNode }
  | { readonly type: 'pipe'; readonly commands: readonly ShellNode[]; readonly negate: boolean }
  | {
      readonly type: 'simple';
      readonly assigns: readonly string[];
      readonly words: readonly string[];
      readonly redirects: readonly Redirect[];
    }
  | {
      readonly type: 'loop';
      readonly until: boolean;
      readonly condition: ShellNode;
      readonly body: ShellNode;
      readonly redirects: readonly Redirect[];
    }
  | {
      readonly type: 'for';
      readonly name: string;
      readonly items: readonly string[];
      readonly body: ShellNode;
      readonly redirects: readonly Redirect[];
    }
  | {
      readonly type: 'if';
      readonly branches: readonly { readonly condition: ShellNode; readonly body: ShellNode }[];
      readonly otherwise?: ShellNode;
      readonly redirects: readonly Redirect[];
    }
  | {
      readonly type: 'group';
      readonly body: ShellNode;
      readonly subshell: boolean;
      readonly redirects: readonly Redirect[];
    };
const RESERVED = new Set([
  'while',
  'until',
  'for',
  'do',
  'done',
  'if',
  'then',
  'elif',
  'else',
  'fi',
  'in',
  '{',
  '}',
  '!',
]);
/** Parses a script. */
export function parseScript(script: string): ShellNode {
  const parser = new Parser(tokenize(script));
  const list = parser.list(new Set());
  if (!parser.done()) throw new ShellSyntaxError(`syntax error: unexpected "${parser.peekText()}"`);
  return list;
}

/** A command given as an argument vector (exec form), as one simple command. */
export function simpleCommand(argv: readonly string[]): ShellNode {
  return { type: 'simple', assigns: [], words: argv.map(quoteWord), redirects: [] };
}

/** Quotes a literal so that expansion gives it back unchanged. */
export function quoteWord(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  done(): boolean {
    this.skipNewlines();
    return this.pos >= this.tokens.length;
  }

  peekText(): string {
    const t = this.tokens[this.pos];
    if (t === undefined) return 'end of file';
    return t.kind === 'redirect' ? '>' : t.text === '\n' ? 'newline' : t.text;
  }

  private peekWord(): string | undefined {
    const t = this.tokens[this.pos];
    return t?.kind === 'word' ? t.text : undefined;
  }

  private peekOp(): string | undefined {
    const t = this.tokens[this.pos];
    return t?.kind === 'op' ? t.text : undefined;
  }

  private skipNewlines(): void {
    while (this.peekOp() === '\n') this.pos++;
  }

  private expectWord(word: string): void {
    this.skipSeparators();
    if (this.peekWord() !== word)
      throw new ShellSyntaxError(`syntax error: unexpected "${this.peekText()}" (expecting "${word}")`);
    this.pos++;
  }

  private skipSeparators(): void {
    while (this.peekOp() === '\n' || this.peekOp() === ';') this.pos++;
  }

  /** A list, up to (not including) one of the `stop` reserved words or a `)`. */
  list(stop: ReadonlySet<string>): ShellNode {
    const items: { node: ShellNode; background: boolean }[] = [];
    for (;;) {
      this.skipSeparators();
      if (this.pos >= this.tokens.length) break;
      const word = this.peekWord();
      if (word !== undefined && stop.has(word)) break;
      if (this.peekOp() === ')') break;
      const node = this.andOr(stop);
      let background = false;
      const op = this.peekOp();
      if (op === '&') {
        background = true;
        this.pos++;
      } else if (op === ';' || op === '\n') {
        this.pos++;
      } else if (op !== undefined && op !== ')') {
        throw new ShellSyntaxError(`syntax error: unexpected "${op}"`);
      }
      items.push({ node, background });
    }
    if (items.length === 1 && !items[0]!.background) return items[0]!.node;
    return { type: 'list', items };
  }

  private andOr(stop: ReadonlySet<string>): ShellNode {
    let left = this.pipeline(stop);
    for (;;) {
      const op = this.peekOp();
      if (op !== '&&' && op !== '||') return left;
      this.pos++;
      this.skipNewlines();
      const right = this.pipeline(stop);
      left = { type: op === '&&' ? 'and' : 'or', left, right };
    }
  }

  private pipeline(stop: ReadonlySet<string>): ShellNode {
    let negate = false;
    if (this.peekWord() === '!') {
      negate = true;
      this.pos++;
    }
    const commands = [this.command(stop)];
    while (this.peekOp() === '|') {
      this.pos++;
      this.skipNewlines();
      commands.push(this.command(stop));
    }
    if (commands.length === 1 && !negate) return commands[0]!;
    return { type: 'pipe', commands, negate };
  }

  private redirects(): Redirect[] {
    const out: Redirect[] = [];
    for (;;) {
      const t = this.tokens[this.pos];
      if (t?.kind !== 'redirect') return out;
      this.pos++;
      const target = this.tokens[this.pos];
      if (target?.kind !== 'word') throw new ShellSyntaxError('syntax error: unexpected redirection');
      this.pos++;
      out.push({ ...t.redirect, target: target.text });
    }
  }

  private command(stop: ReadonlySet<string>): ShellNode {
    const word = this.peekWord();
    if (word === 'while' || word === 'until') {
      this.pos++;
      const condition = this.list(new Set(['do']));
      this.expectWord('do');
      const body = this.list(new Set(['done']));
      this.expectWord('done');
      return { type: 'loop', until: word === 'until', condition, body, redirects: this.redirects() };
    }
    if (word === 'for') {
      this.pos++;
      const name = this.peekWord();
      if (name === undefined) throw new ShellSyntaxError('syntax error: bad for loop variable');
      this.pos++;
      const items: string[] = [];
      this.skipNewlines();
      if (this.peekWord() === 'in') {
        this.pos++;
        for (let w = this.peekWord(); w !== undefined && w !== 'do'; w = this.peekWord()) {
          items.push(w);
          this.pos++;
        }
      } else {
        items.push('"$@"');
      }
      this.expectWord('do');
      const body = this.list(new Set(['done']));
      this.expectWord('done');
      return { type: 'for', name, items, body, redirects: this.redirects() };
    }
    if (word === 'if') {
      this.pos++;
      const branches: { condition: ShellNode; body: ShellNode }[] = [];
      let otherwise: ShellNode | undefined;
      const ends = new Set(['then']);
      const bodyEnds = new Set(['elif', 'else', 'fi']);
      let condition = this.list(ends);
      for (;;) {
        this.expectWord('then');
        const body = this.list(bodyEnds);
        branches.push({ condition, body });
        this.skipSeparators();
        const next = this.peekWord();
        this.pos++;
        if (next === 'elif') {
          condition = this.list(ends);
          continue;
        }
        if (next === 'else') {
          otherwise = this.list(new Set(['fi']));
          this.expectWord('fi');
        } else if (next !== 'fi') {
          throw new ShellSyntaxError(`syntax error: unexpected "${next ?? 'end of file'}" (expecting "fi")`);
        }
        break;
      }
      return { type: 'if', branches, ...(otherwise ? { otherwise } : {}), redirects: this.redirects() };
    }
    if (word === '{') {
      this.pos++;
      const body = this.list(new Set(['}']));
      this.expectWord('}');
      return { type: 'group', body, subshell: false, redirects: this.redirects() };
    }
    if (this.peekOp() === '(') {
      this.pos++;
      const body = this.list(new Set());
      if (this.peekOp() !== ')') throw new ShellSyntaxError('syntax error: missing ")"');
      this.pos++;
      return { type: 'group', body, subshell: true, redirects: this.redirects() };
    }
    return this.simple(stop);
  }

  private simple(stop: ReadonlySet<string>): ShellNode {
    const assigns: string[] = [];
    const words: string[] = [];
    const redirects: Redirect[] = [];
    for (;;) {
      const t = this.tokens[this.pos];
      if (t === undefined) break;
      if (t.kind === 'redirect') {
        redirects.push(...this.redirects());
        continue;
      }
      if (t.kind === 'op') break;
      if (words.length === 0 && RESERVED.has(t.text) && (stop.has(t.text) || t.text !== '!')) {
        if (stop.has(t.text) || ['do', 'done', 'then', 'fi', 'elif', 'else', '}'].includes(t.text)) break;
      }
      if (words.length === 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(t.text)) assigns.push(t.text);
      else words.push(t.text);
      this.pos++;
    }
    if (words.length === 0 && assigns.length === 0 && redirects.length === 0) {
      throw new ShellSyntaxError(`syntax error: unexpected "${this.peekText()}"`);
    }
    return { type: 'simple', assigns, words, redirects };
  }
}

export { RESERVED };

/**
 * `bosun completion bash|zsh`: shell completion scripts generated from the command tree, so
 * they never fall behind the commands.
 */

import type { Command } from 'commander';
import { InvalidArgumentError } from '../../internal/errors.js';
import type { CliIO } from '../io.js';

interface CommandWords {
  readonly path: string;
  readonly words: string[];
}

function collectWords(cmd: Command, path: string[], out: CommandWords[]): void {
  const words = [
    ...cmd.commands.flatMap((c) => [c.name(), ...c.aliases()]),
    ...cmd.options.flatMap((o) => [o.long, o.short].filter((x): x is string => Boolean(x))),
  ];
  out.push({ path: path.join(' '), words });
  for (const sub of cmd.commands) {
    for (const name of [sub.name(), ...sub.aliases()]) collectWords(sub, [...path, name], out);
  }
}

/** The bash completion script for the program. */
export function bashCompletion(program: Command): string {
  const entries: CommandWords[] = [];
  collectWords(program, [], entries);
  const cases = entries.map((e) => `    "${e.path}") words="${e.words.join(' ')}" ;;`).join('\n');
  return `# bash completion for bosun
_bosun() {
  local cur path words i
  cur="\${COMP_WORDS[COMP_CWORD]}"
  path=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in
      -*) ;;
      *) if [ -z "$path" ]; then candidate="\${COMP_WORDS[i]}"; else candidate="$path \${COMP_WORDS[i]}"; fi
         case "$(_bosun_words "$candidate")" in "") ;; *) path="$candidate" ;; esac ;;
    esac
  done
  words="$(_bosun_words "$path")"
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
  if [ \${#COMPREPLY[@]} -eq 0 ]; then COMPREPLY=($(compgen -f -- "$cur")); fi
}
_bosun_words() {
  local words=""
  case "$1" in
${cases}
  esac
  echo "$words"
}
complete -o default -F _bosun bosun
`;
}

/** The zsh completion script (uses bash completion through bashcompinit). */
export function zshCompletion(program: Command): string {
  return `#compdef bosun
autoload -U +X bashcompinit && bashcompinit
${bashCompletion(program)}`;
}

/** Registers `completion bash|zsh`. */
export function registerCompletion(program: Command, io: CliIO): void {
  program
    .command('completion')
    .description('generate the autocompletion script for the specified shell (bash or zsh)')
    .argument('<shell>', 'bash or zsh')
    .action((shell: string) => {
      if (shell === 'bash') io.stdout.write(bashCompletion(program));
      else if (shell === 'zsh') io.stdout.write(zshCompletion(program));
      else throw new InvalidArgumentError(`completion: unsupported shell "${shell}" (use bash or zsh)`);
    });
}

/**
 * The command tree is built for the command an invocation runs only: these check that doing so
 * changes nothing a user sees, against the tree with every command.
 */

import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { releaseArgv } from '../../src/cli/commands/release-write.js';
import { memoryIO } from '../../src/cli/io.js';
import { type CommandPath, run, runProgram } from '../../src/cli/main.js';
import { buildProgram, COMMANDS, commandOf } from '../../src/cli/program.js';

const namesOf = (cmd: Command) => cmd.commands.flatMap((c) => [c.name(), ...c.aliases()]);

describe('COMMANDS', () => {
  it('names, for each register function, exactly the commands and aliases it registers', () => {
    for (const [names, register] of COMMANDS) {
      const program = new Command('bosun');
      register(program, memoryIO());
      expect(namesOf(program).sort()).toEqual([...names].sort());
    }
  });

  it('holds every top-level command, in help order', () => {
    const all = buildProgram(memoryIO());
    expect(COMMANDS.flatMap(([names]) => names)).toEqual(namesOf(all));
  });
});

describe('commandOf', () => {
  it('finds the first operand once the global options are read, as commander does', () => {
    expect(commandOf(['version', '--short'])).toBe('version');
    expect(commandOf(['-n', 'kube-system', 'list'])).toBe('list');
    expect(commandOf(['--namespace', 'version', 'list'])).toBe('list');
    expect(commandOf(['--namespace=x', '--debug', 'k', 'get', 'pods'])).toBe('k');
    expect(commandOf(['-nx', 'status', 'r'])).toBe('status');
    expect(commandOf(['help', 'template'])).toBe('template');
    expect(commandOf(['--', 'version'])).toBe('version');
  });

  it('finds none where commander dispatches to none', () => {
    expect(commandOf([])).toBeUndefined();
    expect(commandOf(['--help'])).toBeUndefined();
    expect(commandOf(['-h', 'template'])).toBeUndefined();
    expect(commandOf(['--unknown', 'template'])).toBeUndefined();
    expect(commandOf(['-5', 'template'])).toBeUndefined();
    expect(commandOf(['help'])).toBeUndefined();
    expect(commandOf(['-n'])).toBeUndefined();
  });
});

describe('buildProgram', () => {
  it('registers only the command the arguments run, and every command otherwise', () => {
    const total = buildProgram(memoryIO()).commands.length;
    expect(namesOf(buildProgram(memoryIO(), ['version']))).toEqual(['version']);
    expect(namesOf(buildProgram(memoryIO(), ['-n', 'ns', 'k', 'get']))).toEqual(['kubectl', 'k']);
    expect(buildProgram(memoryIO(), ['--help']).commands).toHaveLength(total);
    expect(buildProgram(memoryIO(), ['nope']).commands).toHaveLength(total);
    expect(buildProgram(memoryIO(), ['completion', 'bash']).commands).toHaveLength(total);
  });

  /** What `bosun ARGS` prints and returns, with the tree built for it and with the whole tree. */
  async function both(argv: string[]) {
    const lazy = memoryIO();
    const lazyCode = await run(argv, lazy);
    const full = memoryIO();
    const fullCode = await runProgram(buildProgram(full), releaseArgv(argv), full);
    return [
      { code: lazyCode, out: lazy.out(), err: lazy.err() },
      { code: fullCode, out: full.out(), err: full.err() },
    ];
  }

  const cases: string[][] = [
    [],
    ['--help'],
    ['-h', 'template'],
    ['help'],
    ['help', 'template'],
    ['help', 'k'],
    ['help', 'nope'],
    ['--bosun-version'],
    ['template', '--bosun-version'],
    ['version'],
    ['version', '--short'],
    ['version', 'extra'],
    ['version', '--nope'],
    ['version', '--debu'],
    ['-n'],
    ['-n', 'ns', 'version'],
    ['-n', 'version', 'list', '--help'],
    ['--namespace=ns', '--debug', 'version', '--short'],
    ['-nns', 'version'],
    ['--', 'version'],
    ['-1'],
    ['version', '-1'],
    ['tempalte'],
    ['--nope'],
    ['--nope', 'version'],
    ['template'],
    ['template', '--help'],
    ['kubectl'],
    ['k', 'gett'],
    ['k', 'get', '--help'],
    ['kubectl', 'create', 'service', '--help'],
    ['repo'],
    ['repo', 'index', '--help'],
    ['show', '--help'],
    ['inspect', 'chart', '--help'],
    ['install', '--help'],
    ['install', '--wait=watcher', '--help'],
    ['delete', '--help'],
    ['get'],
    ['dep'],
    ['fetch', '--help'],
    ['search', '--help'],
    ['diff'],
    ['cluster'],
    ['completion', 'bash'],
    ['completion', 'zsh'],
    ['completion', 'fish'],
    ...COMMANDS.flatMap(([names]) => names.map((name) => [name, '--help'])),
  ];

  it.each(cases.map((argv) => [argv.join(' '), argv] as const))(
    'prints and returns the same for `bosun %s`',
    async (_, argv) => {
      const [lazy, full] = await both([...argv]);
      expect(lazy).toEqual(full);
    },
  );

  it('prints what the whole tree prints for help', async () => {
    const [lazy] = await both(['--help']);
    for (const [names] of COMMANDS) expect(lazy?.out).toContain(`  ${names[0]}`);
  });
});

describe('run', () => {
  it('tells which command runs, level by level with its aliases, before it runs', async () => {
    const heard: CommandPath[] = [];
    const io = memoryIO({ cwd: '/nonexistent' });
    expect(await run(['version', '--short'], io, (p) => heard.push(p))).toBe(0);
    expect(await run(['inspect', 'chart', 'nope'], io, (p) => heard.push(p))).toBe(1);
    expect(await run(['--help'], io, (p) => heard.push(p))).toBe(0);
    expect(await run(['tempalte'], io, (p) => heard.push(p))).toBe(1);
    expect(heard).toEqual([[['version']], [['show', 'inspect'], ['chart']]]);
  });
});

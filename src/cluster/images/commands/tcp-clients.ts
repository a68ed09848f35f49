/**
 * Clients that speak over a raw connection: `nc`/`netcat` (port checks, a typed request) and
 * `redis-cli` against a redis the network leads to.
 */

import { infoOf } from '../resolved.js';
import { REASONS } from './http.js';
import { connect, lookup, requestContext } from './network.js';
import { define } from './shared.js';

/** `nc -z host port` (a connection test), `nc host port` with stdin. */
define(['nc', 'netcat'], (shell, argv, io) => {
  const flags = argv
    .slice(1)
    .filter((a) => a.startsWith('-'))
    .join('');
  const args = argv.slice(1).filter((a, i, all) => !a.startsWith('-') && !/^-[wWq]$/.test(all[i - 1] ?? ''));
  if (flags.includes('l')) return { code: 0, forever: { kind: 'silent' } };
  const [host, port] = args;
  if (host === undefined || port === undefined) {
    shell.err(
      io,
      'BusyBox v1.37.0 (2025-07-15 18:33:23 UTC) multi-call binary.\n\nUsage: nc [OPTIONS] HOST PORT  - connect\n',
    );
    return 1;
  }
  const resolved = lookup(shell, host);
  if (resolved === undefined) {
    shell.err(io, `nc: bad address '${host}'\n`);
    return 1;
  }
  const connection = connect(shell, resolved.addresses[0]!, Number(port));
  if (!connection.ok) {
    if (connection.error === 'timeout') shell.advance(flags.includes('w') ? 5000 : 127_000);
    if (flags.includes('v'))
      shell.err(
        io,
        `nc: ${host} (${resolved.addresses[0]}:${port}): ${connection.error === 'refused' ? 'Connection refused' : 'Operation timed out'}\n`,
      );
    return 1;
  }
  if (flags.includes('v')) shell.err(io, `${host} (${resolved.addresses[0]}:${port}) open\n`);
  if (!flags.includes('z') && io.stdin !== '') {
    const app = infoOf(connection.behaviour)?.app;
    if (app === 'redis') shell.out(io, redisReplies(io.stdin));
    else {
      const first = io.stdin.split('\r\n')[0] ?? '';
      const m = /^(\w+)\s+(\S+)/.exec(first);
      const answer = m
        ? connection.behaviour.http(
            { method: m[1]!, path: m[2]!, port: Number(port) },
            requestContext(shell, connection),
          )
        : undefined;
      if (answer)
        shell.out(io, `HTTP/1.1 ${answer.status} ${REASONS[answer.status] ?? ''}\r\n\r\n${answer.body}`);
    }
  }
  return 0;
});

function redisReplies(input: string): string {
  return input
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const cmd = l.trim().split(/\s+/)[0]!.toUpperCase();
      if (cmd === 'PING') return '+PONG\r\n';
      if (cmd === 'QUIT') return '+OK\r\n';
      if (cmd === 'INFO') {
        const body =
          '# Server\r\nredis_version:8.2.1\r\nredis_mode:standalone\r\nos:Linux 6.8.0-85-generic x86_64\r\narch_bits:64\r\ntcp_port:6379\r\n';
        return `$${body.length}\r\n${body}\r\n`;
      }
      if (cmd === 'SET') return '+OK\r\n';
      if (cmd === 'GET') return '$-1\r\n';
      return `-ERR unknown command '${l.trim().split(/\s+/)[0]}', with args beginning with: \r\n`;
    })
    .join('');
}

/** `redis-cli [-h host] [-p port] [cmd …]` against a redis the network leads to. */
define('redis-cli', (shell, argv, io) => {
  let host = '127.0.0.1';
  let port = 6379;
  const words: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-h') host = argv[++i] ?? host;
    else if (a === '-p') port = Number(argv[++i] ?? port);
    else if (a === '-a' || a === '-n') i++;
    else if (a.startsWith('--')) continue;
    else words.push(a);
  }
  const resolved = lookup(shell, host);
  if (resolved === undefined) {
    shell.err(io, `Could not connect to Redis at ${host}:${port}: Name or service not known\n`);
    return 1;
  }
  const connection = connect(shell, resolved.addresses[0]!, port);
  if (!connection.ok || infoOf(connection.behaviour)?.app !== 'redis') {
    shell.err(
      io,
      `Could not connect to Redis at ${host}:${port}: ${connection.ok || connection.error === 'refused' ? 'Connection refused' : 'Connection timed out'}\n`,
    );
    return 1;
  }
  if (words.length === 0) words.push(...(io.stdin.trim() === '' ? [] : io.stdin.trim().split(/\s+/)));
  const cmd = (words[0] ?? '').toUpperCase();
  const key = `redis:${connection.namespace}/${connection.podName}:${words[1] ?? ''}`;
  switch (cmd) {
    case '':
      return 0;
    case 'PING':
      shell.out(io, words[1] === undefined ? 'PONG\n' : `"${words[1]}"\n`);
      return 0;
    case 'SET':
      shell.installed.add(`${key}=${words[2] ?? ''}`);
      shell.out(io, 'OK\n');
      return 0;
    case 'GET': {
      const found = [...shell.installed].find((k) => k.startsWith(`${key}=`));
      shell.out(io, found === undefined ? '(nil)\n' : `"${found.slice(key.length + 1)}"\n`);
      return 0;
    }
    case 'INCR':
    case 'INCRBY':
      shell.out(io, `(integer) ${cmd === 'INCR' ? 1 : Number(words[2] ?? 1)}\n`);
      return 0;
    case 'DBSIZE':
      shell.out(io, '(integer) 0\n');
      return 0;
    case 'KEYS':
      shell.out(io, '(empty array)\n');
      return 0;
    case 'INFO':
      shell.out(
        io,
        `# Server\nredis_version:${infoOf(connection.behaviour)?.version ?? '8.2.1'}\nredis_mode:standalone\nos:Linux 6.8.0-85-generic x86_64\narch_bits:64\ntcp_port:${port}\n`,
      );
      return 0;
    default:
      shell.out(
        io,
        `(error) ERR unknown command '${words[0]}', with args beginning with: ${words
          .slice(1)
          .map((w) => `'${w}' `)
          .join('')}\n`,
      );
      return 0;
  }
});

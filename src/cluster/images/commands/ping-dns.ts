/**
 * Reachability and name tools: `ping` (busybox or iputils wording) and the resolver tools
 * `nslookup` and `host`, answered through the network view.
 */

import type { IO, Outcome } from '../shell.js';
import { intHash } from '../text.js';
import type { TimedLine } from '../timeline.js';
import { IPV4, lookup, network } from './network.js';
import { define, isBusybox } from './shared.js';

/** `ping` (busybox format: `64 bytes from 1.1.1.1: seq=0 ttl=57 time=1.102 ms`). */
define(['ping', 'ping6'], (shell, argv, io) => {
  let count: number | undefined;
  let interval = 1000;
  let quiet = false;
  let host: string | undefined;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-c') count = Number(argv[++i]);
    else if (/^-c\d+$/.test(a)) count = Number(a.slice(2));
    else if (a === '-i') interval = Math.max(200, Number(argv[++i]) * 1000);
    else if (a === '-W' || a === '-w' || a === '-s' || a === '-t') i++;
    else if (a === '-q') quiet = true;
    else if (!a.startsWith('-')) host = a;
  }
  const busybox = isBusybox(shell);
  if (host === undefined) {
    shell.err(
      io,
      busybox
        ? 'BusyBox v1.37.0 (2025-07-15 18:33:23 UTC) multi-call binary.\n\nUsage: ping [OPTIONS] HOST\n'
        : 'ping: usage error: Destination address required\n',
    );
    return busybox ? 1 : 2;
  }
  const resolved = lookup(shell, host);
  if (resolved === undefined || resolved.addresses.length === 0) {
    shell.err(io, busybox ? `ping: bad address '${host}'\n` : `ping: ${host}: Name or service not known\n`);
    return busybox ? 1 : 2;
  }
  const ip = resolved.addresses[0]!;
  const { view, from } = network(shell);
  const target = ip.startsWith('127.') && shell.run.context ? shell.run.context.podIP : ip;
  const answers = ip.startsWith('127.') || (view.pingable?.(target, from) ?? true);
  const inCluster = ip.startsWith('10.') || ip.startsWith('127.');
  const ttl = ip.startsWith('127.')
    ? 64
    : inCluster
      ? target === shell.run.context?.podIP
        ? 64
        : 63
      : ip === '8.8.8.8'
        ? 117
        : 57;
  const base = ip.startsWith('127.') ? 0.04 : inCluster ? 0.08 : 1.0;
  const rtt = (n: number) =>
    base + intHash(0, 999, ip, n, shell.run.context?.podName ?? '') / (inCluster ? 4000 : 900);
  const reply = (n: number) => `64 bytes from ${ip}: seq=${n} ttl=${ttl} time=${rtt(n).toFixed(3)} ms\n`;
  const replyGnu = (n: number) =>
    `64 bytes from ${ip === host ? ip : `${host} (${ip})`}: icmp_seq=${n + 1} ttl=${ttl} time=${rtt(n).toFixed(busybox ? 3 : 2)} ms\n`;
  shell.out(
    io,
    busybox ? `PING ${host} (${ip}): 56 data bytes\n` : `PING ${host} (${ip}) 56(84) bytes of data.\n`,
  );
  if (count === undefined) {
    if (!answers || quiet) return { code: 0, forever: { kind: 'silent' } };
    const at = shell.t;
    return periodic(io, at, interval, (n) => [
      { at: Math.round(rtt(n)), text: (busybox ? reply(n) : replyGnu(n)).trimEnd() },
    ]);
  }
  const times: number[] = [];
  for (let n = 0; n < count; n++) {
    if (n > 0) shell.advance(interval);
    if (answers) {
      times.push(rtt(n));
      if (!quiet) shell.out(io, busybox ? reply(n) : replyGnu(n));
    }
  }
  shell.advance(answers ? Math.round(rtt(count - 1)) : 1000);
  const received = times.length;
  const loss = Math.round(((count - received) / Math.max(count, 1)) * 100);
  shell.out(io, `\n--- ${host} ping statistics ---\n`);
  if (busybox) {
    shell.out(io, `${count} packets transmitted, ${received} packets received, ${loss}% packet loss\n`);
    if (received > 0) {
      const avg = times.reduce((a, b) => a + b, 0) / received;
      shell.out(
        io,
        `round-trip min/avg/max = ${Math.min(...times).toFixed(3)}/${avg.toFixed(3)}/${Math.max(...times).toFixed(3)} ms\n`,
      );
    }
  } else {
    shell.out(
      io,
      `${count} packets transmitted, ${received} received, ${loss}% packet loss, time ${(count - 1) * interval}ms\n`,
    );
    if (received > 0) {
      const avg = times.reduce((a, b) => a + b, 0) / received;
      shell.out(
        io,
        `rtt min/avg/max/mdev = ${Math.min(...times).toFixed(3)}/${avg.toFixed(3)}/${Math.max(...times).toFixed(3)}/0.012 ms\n`,
      );
    }
  }
  return received > 0 ? 0 : 1;
});

/** A never-ending output: one batch of lines every `period` ms, to wherever `io.out` goes. */
function periodic(
  io: IO,
  at: number,
  period: number,
  lines: (n: number) => { at: number; text: string }[],
): Outcome {
  if (io.out.kind !== 'log') return { code: 0, forever: { kind: 'silent' } };
  const stream = io.out.stream;
  return {
    code: 0,
    forever: {
      kind: 'loop',
      at,
      period,
      iteration: (n): TimedLine[] => lines(n).map((l) => ({ at: l.at, text: l.text, stream })),
    },
  };
}

const RESOLVER = '10.96.0.10';

/** `nslookup` (the busybox format of image-catalog §10.5). */
define('nslookup', (shell, argv, io) => {
  const args = argv.slice(1).filter((a) => !a.startsWith('-'));
  const name = args[0];
  if (name === undefined) {
    shell.err(
      io,
      'BusyBox v1.37.0 (2025-07-15 18:33:23 UTC) multi-call binary.\n\nUsage: nslookup [HOST] [SERVER]\n',
    );
    return 1;
  }
  const { view, from } = network(shell);
  const ctx = shell.run.context;
  const server = args[1] ?? RESOLVER;
  const serverName = server === RESOLVER ? view.reverse?.(RESOLVER, from) : undefined;
  shell.out(io, `Server:    ${server}\nAddress 1: ${server}${serverName ? ` ${serverName}` : ''}\n\n`);
  const resolved = IPV4.test(name)
    ? { addresses: [name], canonicalName: view.reverse?.(name, from) ?? name }
    : ctx === undefined
      ? undefined
      : view.resolve(name, from);
  if (resolved === undefined || resolved.addresses.length === 0) {
    shell.err(io, `nslookup: can't resolve '${name}'\n`);
    return 1;
  }
  shell.out(io, `Name:      ${name}\n`);
  resolved.addresses.forEach((ip, i) => {
    const ptr = view.reverse?.(ip, from);
    shell.out(io, `Address ${i + 1}: ${ip}${ptr ? ` ${ptr}` : ''}\n`);
  });
  return 0;
});

/** `host NAME [SERVER]` and `dig` (bind-tools, when installed). */
define('host', (shell, argv, io) => {
  const args = argv.slice(1).filter((a) => !a.startsWith('-'));
  const name = args[0] ?? '';
  const { view, from } = network(shell);
  if (args[1] !== undefined)
    shell.out(io, `Using domain server:\nName: ${args[1]}\nAddress: ${args[1]}#53\nAliases: \n\n`);
  const resolved = view.resolve(name, from);
  if (resolved === undefined) {
    shell.out(io, `Host ${name} not found: 3(NXDOMAIN)\n`);
    return 1;
  }
  if (resolved.canonicalName !== name && !resolved.canonicalName.startsWith(`${name}.`))
    shell.out(io, `${name} is an alias for ${resolved.canonicalName}.\n`);
  for (const ip of resolved.addresses) shell.out(io, `${resolved.canonicalName} has address ${ip}\n`);
  return 0;
});

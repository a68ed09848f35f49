/**
 * Interpreters and the tools images bring: `python` (with `-m http.server`), `nginx`,
 * `redis-server`, the postgres tools (`psql`, `createdb`, `pgbench`, `pg_isready`), `su`,
 * `consul members` and `pxctl status`.
 */

import { infoOf } from '../resolved.js';
import { COMMANDS, type Shell } from '../shell.js';
import { arithmetic } from '../shell-expand.js';
import { intHash, sha256Hex, timeFormats } from '../text.js';
import { define } from './shared.js';

define(['python', 'python3', 'python2'], (shell, argv, io) => {
  const args = argv.slice(1);
  const version = shell.run.image.app === 'shell' ? shell.run.image.version : '3.12.11';
  if (args[0] === '-V' || args[0] === '--version') {
    shell.out(io, `Python ${version}\n`);
    return 0;
  }
  if (args[0] === '-c') {
    const code = args[1] ?? '';
    for (const m of code.matchAll(/print\(\s*(?:(['"])(.*?)\1|(\d+(?:\s*[-+*]\s*\d+)*))\s*\)/g)) {
      shell.out(io, `${m[2] ?? String(arithmetic(m[3] ?? '0', shell))}\n`);
    }
    if (/socket\.gethostname\(\)/.test(code)) shell.out(io, `${shell.run.context?.podName ?? 'localhost'}\n`);
    return 0;
  }
  if (args[0] === '-m' && args[1] === 'http.server') {
    const port = Number(args.slice(2).find((a) => /^\d+$/.test(a)) ?? 8000);
    return {
      code: 0,
      forever: { kind: 'app', at: shell.t, app: pythonHttpServer(shell, port), exec: false },
    };
  }
  if (args[0] === '-m' && args[1] === 'pip')
    return COMMANDS.get('pip')!(shell, ['pip', ...args.slice(2)], io);
  const script = args.find((a) => !a.startsWith('-'));
  if (script !== undefined) {
    if (shell.readFile(script) === undefined) {
      shell.err(
        io,
        `${argv[0]}: can't open file '${shell.resolvePath(script)}': [Errno 2] No such file or directory\n`,
      );
      return 2;
    }
    return 0;
  }
  // The REPL reads its input: nothing (EOF) ends it at once; an open stdin keeps it waiting.
  if (io.stdin !== '') return 0;
  if (shell.run.stdinOpen && shell.run.mode === 'main') return { code: 0, forever: { kind: 'silent' } };
  return 0;
});

function pythonHttpServer(shell: Shell, port: number) {
  return {
    startupMs: 300,
    ports: [{ port, protocol: 'TCP' as const }],
    ignoresSigterm: true,
    logs: () => [],
    http: (request: { port: number; path: string }) => {
      if (request.port !== port) return undefined;
      const entries = shell.listDir(shell.cwd) ?? [];
      const body = `<!DOCTYPE HTML>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Directory listing for ${request.path}</title>\n</head>\n<body>\n<h1>Directory listing for ${request.path}</h1>\n<hr>\n<ul>\n${entries.map((e) => `<li><a href="${e}">${e}</a></li>`).join('\n')}\n</ul>\n<hr>\n</body>\n</html>\n`;
      return {
        status: 200,
        headers: { 'Content-Type': 'text/html; charset=utf-8', Server: 'SimpleHTTP/0.6 Python/3.12.11' },
        body,
      };
    },
  };
}

define('nginx', (shell, argv, io) => {
  const version = shell.run.image.version;
  if (argv.includes('-v') || argv.includes('-V')) {
    shell.err(io, `nginx version: nginx/${version}\n`);
    return 0;
  }
  if (argv.includes('-t')) {
    shell.err(
      io,
      'nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\nnginx: configuration file /etc/nginx/nginx.conf test is successful\n',
    );
    return 0;
  }
  if (argv.includes('-s')) {
    shell.err(
      io,
      `${timeFormats.nginx(shell.run.startAbs + shell.t)} [notice] ${intHash(30, 90, 'nginx-s')}#${intHash(30, 90, 'nginx-s')}: signal process started\n`,
    );
    return 0;
  }
  shell.err(
    io,
    `${timeFormats.nginx(shell.run.startAbs + shell.t)} [emerg] 1#1: bind() to 0.0.0.0:80 failed (98: Address in use)\nnginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address in use)\n`,
  );
  return 1;
});

define('redis-server', (shell, argv, io) => {
  if (argv.includes('--version') || argv.includes('-v')) {
    shell.out(
      io,
      `Redis server v=${shell.run.image.version} sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 build=${sha256Hex(shell.run.image.version).slice(0, 16)}\n`,
    );
  }
  return 0;
});

/** Databases a postgres container has, plus those this session created. */
function databases(shell: Shell): string[] {
  const made = [...shell.installed].filter((k) => k.startsWith('db:')).map((k) => k.slice(3));
  return [...new Set(['postgres', ...made, 'template0', 'template1'])].sort();
}

define('psql', (shell, argv, io) => {
  const args = argv.slice(1);
  const query = args[args.indexOf('-c') + 1];
  if (args.includes('-l') || args.includes('--list')) {
    const rows = databases(shell);
    const row = (name: string) => {
      const template = name.startsWith('template');
      const first = ` ${name.padEnd(9)} | postgres | UTF8     | en_US.utf8 | en_US.utf8 | ${template ? '=c/postgres          +' : ''}`;
      return template
        ? `${first}\n           |          |          |            |            | postgres=CTc/postgres\n`
        : `${first.trimEnd()}\n`;
    };
    shell.out(
      io,
      `                                 List of databases\n   Name    |  Owner   | Encoding |  Collate   |   Ctype    |   Access privileges   \n-----------+----------+----------+------------+------------+-----------------------\n${rows.map(row).join('')}(${rows.length} rows)\n\n`,
    );
    return 0;
  }
  if (args.includes('-c') && query !== undefined) {
    const db =
      args.find(
        (a, i) => !a.startsWith('-') && args[i - 1] !== '-c' && args[i - 1] !== '-U' && args[i - 1] !== '-h',
      ) ?? 'postgres';
    if (!databases(shell).includes(db)) {
      shell.err(
        io,
        `psql: error: connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: FATAL:  database "${db}" does not exist\n`,
      );
      return 2;
    }
    if (/count\(\*\)\s+from\s+pgbench_accounts/i.test(query)) {
      const scale = Number(
        [...shell.installed].find((k) => k.startsWith(`pgbench:${db}:`))?.split(':')[2] ?? 0,
      );
      if (scale === 0) {
        shell.err(io, `ERROR:  relation "pgbench_accounts" does not exist\nLINE 1: ${query}\n`);
        return 1;
      }
      shell.out(io, `  count  \n---------\n ${scale * 100000}\n(1 row)\n\n`);
      return 0;
    }
    if (/^\s*select\s+1\s*;?\s*$/i.test(query)) {
      shell.out(io, ' ?column? \n----------\n        1\n(1 row)\n\n');
      return 0;
    }
    shell.out(io, '');
    return 0;
  }
  return 0;
});

define('createdb', (shell, argv) => {
  const name = argv.slice(1).find((a) => !a.startsWith('-'));
  if (name) shell.installed.add(`db:${name}`);
  return 0;
});

define('pgbench', (shell, argv, io) => {
  const args = argv.slice(1);
  const scale = Number(args[args.indexOf('-s') + 1] ?? 1) || 1;
  const db = args.filter((a, i) => !a.startsWith('-') && args[i - 1] !== '-s').pop() ?? 'postgres';
  if (!args.includes('-i')) return 0;
  for (const t of ['pgbench_accounts', 'pgbench_branches', 'pgbench_history', 'pgbench_tellers'])
    shell.err(io, `NOTICE:  table "${t}" does not exist, skipping\n`);
  shell.out(io, 'creating tables...\n');
  const total = scale * 100000;
  for (let done = 100000; done <= total; done += 100000) {
    shell.advance(150);
    shell.out(
      io,
      `${done} of ${total} tuples (${Math.round((done / total) * 100)}%) done (elapsed ${((done / 100000) * 0.15).toFixed(2)} s, remaining ${(((total - done) / 100000) * 0.15).toFixed(2)} s)\n`,
    );
  }
  shell.out(io, 'vacuum...\nset primary keys...\ndone.\n');
  shell.installed.add(`pgbench:${db}:${scale}`);
  return 0;
});

define('pg_isready', (shell, _argv, io) => {
  shell.out(io, '/var/run/postgresql:5432 - accepting connections\n');
  return 0;
});

define('su', (shell, argv, io) => {
  const c = argv.indexOf('-c');
  const child = shell.fork();
  if (c > 0) {
    const outcome = child.runScript(argv[c + 1] ?? '', io);
    shell.t = child.t;
    return outcome;
  }
  if (io.stdin !== '') {
    const outcome = child.runScript(io.stdin, io);
    shell.t = child.t;
    return outcome;
  }
  return 0;
});

define('consul', (shell, argv, io) => {
  if (argv[1] === 'version' || argv.includes('--version')) {
    shell.out(
      io,
      `Consul v${shell.run.image.version}\nProtocol 2 spoken by default, understands 2 to 3 (agent will automatically use protocol >2 when speaking to compatible agents)\n`,
    );
    return 0;
  }
  if (argv[1] !== 'members') return 0;
  const ctx = shell.run.context;
  const peers = (ctx?.network.containers?.(ctx.namespace) ?? [])
    .filter((c) => infoOf(c.behaviour)?.app === 'consul')
    .map((c) => ({
      name: c.context.podName,
      address: `${c.context.podIP}:8301`,
      build: infoOf(c.behaviour)?.version ?? shell.run.image.version,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  if (peers.length === 0 && ctx)
    peers.push({ name: ctx.podName, address: `${ctx.podIP}:8301`, build: shell.run.image.version });
  const rows = [
    ['Node', 'Address', 'Status', 'Type', 'Build', 'Protocol', 'DC', 'Segment'],
    ...peers.map((p) => [p.name, p.address, 'alive', 'server', p.build, '2', 'dc1', '<all>']),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  shell.out(
    io,
    rows
      .map(
        (r) => `${r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]! + 2))).join('')}\n`,
      )
      .join(''),
  );
  return 0;
});

define('pxctl', (shell, argv, io) => {
  if (argv[1] !== 'status') return 0;
  const ctx = shell.run.context;
  const nodes = (ctx?.network.containers?.(ctx.namespace) ?? []).filter((c) =>
    c.image.includes('portworx/oci-monitor'),
  );
  shell.out(
    io,
    `Status: PX is operational\nLicense: Trial (expires in 31 days)\nNode ID: ${sha256Hex(ctx?.nodeName ?? 'node').slice(0, 8)}-${sha256Hex(ctx?.nodeName ?? 'node').slice(8, 12)}\n\tIP: ${ctx?.podIP ?? ''}\n\tLocal Storage Pool: 1 pool\n\tPOOL\tIO_PRIORITY\tRAID_LEVEL\tUSABLE\tUSED\tSTATUS\tZONE\tREGION\n\t0\tHIGH\t\traid0\t\t10 GiB\t1.0 GiB\tOnline\tdefault\tdefault\nCluster Summary\n\tCluster ID: px-workshop\n\tNodes: ${Math.max(1, nodes.length)} node(s) with storage (${Math.max(1, nodes.length)} online)\n${nodes.map((n) => `\t${n.context.podIP}\t${n.context.nodeName}\tOnline\tUp\n`).join('')}Global Storage Pool\n\tTotal Used    \t:  ${Math.max(1, nodes.length)}.0 GiB\n\tTotal Capacity\t:  ${Math.max(1, nodes.length) * 10} GiB\n`,
  );
  return 0;
});

/**
 * `wget`: busybox's wording in alpine and busybox images, GNU wget's elsewhere.
 */

import { fetchHttp, parseUrl, REASONS } from './http.js';
import { IPV4 } from './network.js';
import { define, isBusybox } from './shared.js';

/** `wget` (busybox's wording in alpine and busybox images, GNU wget's elsewhere). */
define('wget', (shell, argv, io) => {
  let quiet = false;
  let output: string | undefined;
  let spider = false;
  let timeout = 900_000;
  let url: string | undefined;
  const headers: Record<string, string> = {};
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-O' || a === '--output-document') output = argv[++i];
    else if (a.startsWith('-O') && a.length > 2) output = a.slice(2);
    else if (a === '-T' || a === '--timeout') timeout = Number(argv[++i]) * 1000;
    else if (a.startsWith('--timeout=')) timeout = Number(a.slice(10)) * 1000;
    else if (a === '--spider') spider = true;
    else if (a === '--header') {
      const h = argv[++i] ?? '';
      headers[h.slice(0, h.indexOf(':'))] = h.slice(h.indexOf(':') + 1).trim();
    } else if (a === '-U') headers['User-Agent'] = argv[++i] ?? '';
    else if (/^-[a-zA-Z]/.test(a)) {
      // A cluster of short options: `-q`, `-qO-`, `-qO file`, `-T5`.
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        if (c === 'q') quiet = true;
        else if (c === 'O' || c === 'T') {
          const value = j + 1 < a.length ? a.slice(j + 1) : (argv[++i] ?? '');
          if (c === 'O') output = value;
          else timeout = Number(value) * 1000;
          break;
        }
      }
    } else if (!a.startsWith('-')) url = a;
  }
  const busybox = isBusybox(shell);
  if (url === undefined) {
    shell.err(
      io,
      busybox
        ? 'BusyBox v1.37.0 (2025-07-15 18:33:23 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[-P DIR] [-U AGENT] [-T SEC] URL...\n'
        : 'wget: missing URL\nUsage: wget [OPTION]... [URL]...\n',
    );
    return 1;
  }
  const target = parseUrl(url);
  if (target === undefined) {
    shell.err(io, `wget: bad address '${url}'\n`);
    return 1;
  }
  const file = output ?? (target.path.split('?')[0]!.split('/').pop() || 'index.html');
  const fetched = fetchHttp(
    shell,
    target,
    spider ? 'HEAD' : 'GET',
    { 'User-Agent': busybox ? 'Wget' : 'Wget/1.21.3', ...headers },
    undefined,
    true,
  );
  const note = (text: string) => {
    if (!quiet) shell.err(io, text);
  };
  if (busybox) {
    if (fetched.kind === 'dns') {
      shell.err(io, `wget: bad address '${target.host}'\n`);
      return 1;
    }
    note(
      `Connecting to ${target.host}${target.host === fetched.ip ? '' : `:${target.port}`} (${fetched.ip}:${target.port})\n`,
    );
    if (fetched.kind === 'refused' || fetched.kind === 'unreachable') {
      shell.err(
        io,
        `wget: can't connect to remote host (${fetched.ip}): ${fetched.kind === 'refused' ? 'Connection refused' : 'Network is unreachable'}\n`,
      );
      return 1;
    }
    if (fetched.kind === 'timeout') {
      shell.advance(timeout);
      shell.err(io, 'wget: download timed out\n');
      return 1;
    }
    if (fetched.kind !== 'answer') {
      shell.err(
        io,
        fetched.kind === 'empty'
          ? 'wget: error getting response: Connection reset by peer\n'
          : 'wget: error getting response\n',
      );
      return 1;
    }
    const { answer } = fetched;
    if (answer.status >= 400) {
      shell.err(
        io,
        `wget: server returned error: HTTP/1.1 ${answer.status} ${REASONS[answer.status] ?? ''}\n`,
      );
      return 1;
    }
    shell.advance(answer.delayMs ?? 0);
    if (spider) {
      note('remote file exists\n');
      return 0;
    }
    const size = Buffer.byteLength(answer.body, 'latin1');
    if (file === '-') {
      note(`writing to stdout\n`);
      shell.out(io, answer.body);
      note(
        `-                    100% |********************************|  ${String(size).padStart(4)}  0:00:00 ETA\nwritten to stdout\n`,
      );
      return 0;
    }
    note(`saving to '${file}'\n`);
    shell.writeFile(file, answer.body);
    note(
      `${file.padEnd(20).slice(0, 20)} 100% |********************************|  ${String(size).padStart(4)}  0:00:00 ETA\n'${file}' saved\n`,
    );
    return 0;
  }
  const stamp = () => new Date(shell.run.startAbs + shell.t).toISOString().replace('T', ' ').slice(0, 19);
  note(`--${stamp()}--  ${url.includes('://') ? url : `http://${url}`}\n`);
  if (fetched.kind === 'dns') {
    note(`Resolving ${target.host} (${target.host})... failed: Name or service not known.\n`);
    shell.err(io, `wget: unable to resolve host address '${target.host}'\n`);
    return 4;
  }
  note(
    `${IPV4.test(target.host) ? '' : `Resolving ${target.host} (${target.host})... ${fetched.ip}\n`}Connecting to ${target.host} (${target.host})|${fetched.ip}|:${target.port}... `,
  );
  if (fetched.kind !== 'answer') {
    if (fetched.kind === 'timeout') shell.advance(timeout);
    note(
      fetched.kind === 'refused'
        ? 'failed: Connection refused.\n'
        : fetched.kind === 'timeout'
          ? 'failed: Connection timed out.\n'
          : 'failed: Network is unreachable.\n',
    );
    return 4;
  }
  const { answer } = fetched;
  note(
    `connected.\nHTTP request sent, awaiting response... ${answer.status} ${REASONS[answer.status] ?? ''}\n`,
  );
  if (answer.status >= 400) {
    note(`${stamp()} ERROR ${answer.status}: ${REASONS[answer.status] ?? ''}.\n\n`);
    return 8;
  }
  shell.advance(answer.delayMs ?? 0);
  const size = Buffer.byteLength(answer.body, 'latin1');
  const type = answer.headers?.['Content-Type']?.split(';')[0] ?? 'text/html';
  note(`Length: ${size} [${type}]\nSaving to: '${file === '-' ? 'STDOUT' : file}'\n\n`);
  if (file === '-') shell.out(io, answer.body);
  else shell.writeFile(file, answer.body);
  note(
    `${(file === '-' ? '-' : file).padEnd(20)}100%[===================>]     ${size}  --.-KB/s    in 0s      \n\n${stamp()} (58.7 MB/s) - '${file === '-' ? 'written to stdout' : file}' saved [${size}/${size}]\n\n`,
  );
  return 0;
});

/**
 * `curl`: its options, redirects, timeouts, TLS checks and curl 7.61's messages and progress meter.
 */

import { fetchHttp, type HttpTarget, headerLines, parseUrl, REASONS } from './http.js';
import { define, unescapeText } from './shared.js';

/** `curl` (curl 7.61's messages: `curl: (7) Failed to connect to web port 80: Connection refused`). */
define('curl', (shell, argv, io) => {
  let silent = false;
  let showError = false;
  let verbose = false;
  let include = false;
  let head = false;
  let follow = false;
  let insecure = false;
  let fail = false;
  let maxTime: number | undefined;
  let connectTimeout: number | undefined;
  let method: string | undefined;
  let data: string | undefined;
  let output: string | undefined;
  let remoteName = false;
  let writeOut: string | undefined;
  const headers: Record<string, string> = {};
  const urls: string[] = [];
  const withValue = new Set(['m', 'X', 'd', 'H', 'o', 'A', 'u', 'w', 'e', 'b', 'c', 'E', 'T', 'F', 'x', 'r']);
  const take = (name: string, value: string) => {
    switch (name) {
      case 'm':
      case '--max-time':
        maxTime = Number(value) * 1000;
        break;
      case '--connect-timeout':
        connectTimeout = Number(value) * 1000;
        break;
      case 'X':
      case '--request':
        method = value;
        break;
      case 'd':
      case '--data':
      case '--data-raw':
      case '--data-binary':
        data = value.startsWith('@') ? (shell.readFile(value.slice(1)) ?? '') : value;
        break;
      case 'H':
      case '--header': {
        const colon = value.indexOf(':');
        if (colon > 0) headers[value.slice(0, colon).trim()] = value.slice(colon + 1).trim();
        break;
      }
      case 'o':
      case '--output':
        output = value;
        break;
      case 'A':
      case '--user-agent':
        headers['User-Agent'] = value;
        break;
      case 'w':
      case '--write-out':
        writeOut = value;
        break;
      default:
        break;
    }
  };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--')) {
      const [name, inline] = a.includes('=')
        ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]
        : [a, undefined];
      const flags: Record<string, () => void> = {
        '--silent': () => (silent = true),
        '--show-error': () => (showError = true),
        '--verbose': () => (verbose = true),
        '--include': () => (include = true),
        '--head': () => (head = true),
        '--location': () => (follow = true),
        '--insecure': () => (insecure = true),
        '--fail': () => (fail = true),
        '--remote-name': () => (remoteName = true),
      };
      const flag = flags[name];
      if (flag) flag();
      else if (
        [
          '--max-time',
          '--connect-timeout',
          '--request',
          '--data',
          '--data-raw',
          '--data-binary',
          '--header',
          '--output',
          '--user-agent',
          '--write-out',
          '--retry',
          '--cacert',
          '--cert',
          '--key',
          '--resolve',
          '--url',
        ].includes(name)
      ) {
        const value = inline ?? argv[++i] ?? '';
        if (name === '--url') urls.push(value);
        else take(name, value);
      }
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        if (withValue.has(c)) {
          const value = j + 1 < a.length ? a.slice(j + 1) : (argv[++i] ?? '');
          take(c, value);
          break;
        }
        if (c === 's') silent = true;
        else if (c === 'S') showError = true;
        else if (c === 'v') verbose = true;
        else if (c === 'i') include = true;
        else if (c === 'I') head = true;
        else if (c === 'L') follow = true;
        else if (c === 'k') insecure = true;
        else if (c === 'f') fail = true;
        else if (c === 'O') remoteName = true;
      }
      continue;
    }
    urls.push(a);
  }
  const errors = !silent || showError;
  const say = (code: number, message: string): number => {
    if (errors) shell.err(io, `curl: (${code}) ${message}\n`);
    return code;
  };
  if (urls.length === 0) {
    shell.err(io, "curl: try 'curl --help' or 'curl --manual' for more information\n");
    return 2;
  }
  let code = 0;
  for (const url of urls) {
    let target = parseUrl(url);
    if (target === undefined) {
      code = say(3, `URL using bad/illegal format or missing URL`);
      continue;
    }
    const verb = method ?? (head ? 'HEAD' : data !== undefined ? 'POST' : 'GET');
    const requestHeaders: Record<string, string> = { 'User-Agent': 'curl/7.61.1', Accept: '*/*', ...headers };
    if (data !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
      requestHeaders['Content-Type'] = 'application/x-www-form-urlencoded';
    let fetched = fetchHttp(shell, target, verb, requestHeaders, data, insecure);
    for (
      let hops = 0;
      follow &&
      fetched.kind === 'answer' &&
      [301, 302, 303, 307, 308].includes(fetched.answer.status) &&
      hops < 10;
      hops++
    ) {
      const location = fetched.answer.headers?.Location ?? fetched.answer.headers?.location;
      if (location === undefined) break;
      const next: HttpTarget | undefined = location.startsWith('/')
        ? { ...target, path: location }
        : parseUrl(location);
      if (next === undefined) break;
      target = next;
      fetched = fetchHttp(shell, target, verb, requestHeaders, data, insecure);
    }
    const limit = maxTime ?? connectTimeout;
    if (verbose && fetched.kind !== 'dns') shell.err(io, `*   Trying ${fetched.ip}:${target.port}...\n`);
    switch (fetched.kind) {
      case 'dns':
        code = say(6, `Could not resolve host: ${target.host}`);
        continue;
      case 'refused':
        code = say(7, `Failed to connect to ${target.host} port ${target.port}: Connection refused`);
        continue;
      case 'unreachable':
        code = say(7, `Failed to connect to ${target.host} port ${target.port}: Network is unreachable`);
        continue;
      case 'timeout':
        if (limit !== undefined) {
          shell.advance(limit + 1);
          code = say(28, `Connection timed out after ${limit + 1} milliseconds`);
        } else {
          shell.advance(127_000);
          code = say(7, `Failed to connect to ${target.host} port ${target.port}: Connection timed out`);
        }
        continue;
      case 'empty':
        code = say(52, 'Empty reply from server');
        continue;
      case 'tls-wrong-version':
        code = say(35, 'error:1408F10B:SSL routines:ssl3_get_record:wrong version number');
        continue;
      case 'tls-untrusted':
        if (errors) {
          shell.err(
            io,
            'curl: (60) SSL certificate problem: unable to get local issuer certificate\nMore details here: https://curl.haxx.se/docs/sslcerts.html\n\ncurl failed to verify the legitimacy of the server and therefore could not\nestablish a secure connection to it. To learn more about this situation and\nhow to fix it, please visit the web page mentioned above.\n',
          );
        }
        code = 60;
        continue;
      default:
        break;
    }
    const answer = fetched.answer;
    const delay = answer.delayMs ?? 0;
    if (maxTime !== undefined && delay > maxTime) {
      shell.advance(maxTime);
      code = say(28, `Operation timed out after ${maxTime} milliseconds with 0 bytes received`);
      continue;
    }
    shell.advance(delay);
    const reason = REASONS[answer.status] ?? '';
    const statusLine = `HTTP/1.1 ${answer.status} ${reason}`.trimEnd();
    const responseHeaders = headerLines(answer, shell.run.startAbs + shell.t);
    if (verbose) {
      shell.err(
        io,
        `* Connected to ${target.host} (${fetched.ip}) port ${target.port} (#0)\n> ${verb} ${target.path} HTTP/1.1\n> Host: ${target.host}${target.port === 80 ? '' : `:${target.port}`}\n`,
      );
      for (const [k, v] of Object.entries(requestHeaders)) shell.err(io, `> ${k}: ${v}\n`);
      shell.err(io, `> \n< ${statusLine}\n`);
      for (const [k, v] of responseHeaders) shell.err(io, `< ${k}: ${v}\n`);
      shell.err(io, '< \n');
    }
    if (fail && answer.status >= 400) {
      code = say(22, `The requested URL returned error: ${answer.status} ${reason}`.trimEnd());
      continue;
    }
    let shown = '';
    if (include || head)
      shown += `${statusLine}\r\n${responseHeaders.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
    if (!head) shown += answer.body;
    const file = output ?? (remoteName ? target.path.split('/').pop() || 'index.html' : undefined);
    if (file !== undefined && file !== '-') {
      shell.writeFile(file, shown);
      if (!silent) shell.err(io, progressMeter(Buffer.byteLength(shown, 'latin1')));
    } else {
      if (!silent && !shell.run.tty && io.out.kind !== 'buffer')
        shell.err(io, progressMeter(Buffer.byteLength(shown, 'latin1')));
      shell.out(io, shown);
    }
    if (writeOut !== undefined)
      shell.out(
        io,
        unescapeText(
          writeOut
            .replace(/%\{http_code\}/g, String(answer.status))
            .replace(/%\{size_download\}/g, String(answer.body.length))
            .replace(/%\{time_total\}/g, (delay / 1000).toFixed(6)),
        ),
      );
    if (verbose) shell.err(io, `* Connection #0 to host ${target.host} left intact\n`);
    code = 0;
  }
  return code;
});

function progressMeter(bytes: number): string {
  const size = String(bytes).padStart(6);
  return `  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n\r100${size}  100${size}    0     0   597k      0 --:--:-- --:--:-- --:--:--  597k\n`;
}

/**
 * Package managers and fetchers: `apk`, `apt-get`, `yum`, `pip` and `git clone`, which install
 * binaries into the session when the mirror they need resolves.
 */

import { SPOON_KNIFE_INDEX } from '../pages.js';
import type { Shell } from '../shell.js';
import { parseUrl } from './http.js';
import { network } from './network.js';
import { define } from './shared.js';

const APK_VERSIONS: Record<string, string> = {
  curl: '8.14.1-r1',
  git: '2.49.1-r0',
  bash: '5.2.37-r0',
  jq: '1.8.0-r0',
  'bind-tools': '9.20.11-r0',
  python3: '3.12.11-r0',
  'py3-pip': '25.1.1-r0',
  redis: '8.0.3-r0',
  'postgresql-client': '17.5-r0',
  wget: '1.25.0-r1',
  'busybox-extras': '1.37.0-r18',
  openssl: '3.5.1-r0',
  'iputils-ping': '20240905-r0',
  'netcat-openbsd': '1.229.1-r0',
};

/** What a package puts on the PATH. */
const PACKAGE_BINARIES: Record<string, readonly string[]> = {
  curl: ['curl'],
  git: ['git'],
  bash: ['bash'],
  jq: ['jq'],
  'bind-tools': ['dig', 'host', 'nslookup'],
  dnsutils: ['dig', 'host', 'nslookup'],
  'bind-utils': ['dig', 'host', 'nslookup'],
  python3: ['python3', 'python'],
  python: ['python', 'python3'],
  'py3-pip': ['pip', 'pip3'],
  'python3-pip': ['pip', 'pip3'],
  redis: ['redis-cli', 'redis-server'],
  'redis-tools': ['redis-cli'],
  'postgresql-client': ['psql', 'pg_isready'],
  wget: ['wget'],
  'iputils-ping': ['ping'],
  iputils: ['ping'],
  'netcat-openbsd': ['nc'],
  'netcat-traditional': ['nc'],
  procps: ['ps', 'top'],
  iproute2: ['ip'],
  'busybox-extras': ['telnet'],
  telnet: ['telnet'],
};

function install(shell: Shell, packages: readonly string[]): void {
  for (const p of packages) {
    shell.installed.add(`pkg:${p}`);
    for (const bin of PACKAGE_BINARIES[p] ?? [p]) shell.installed.add(`bin:${bin}`);
  }
}

function internet(shell: Shell, host: string): boolean {
  const { view, from } = network(shell);
  return view.resolve(host, from) !== undefined;
}

define('apk', (shell, argv, io) => {
  const args = argv.slice(1);
  const sub = args.find((a) => !a.startsWith('-'));
  const packages = args.filter((a) => !a.startsWith('-') && a !== sub && !a.includes('='));
  const update =
    args.includes('-U') || args.includes('--update') || args.includes('--no-cache') || sub === 'update';
  const online = internet(shell, 'dl-cdn.alpinelinux.org');
  if (update) {
    for (const repo of ['main', 'community']) {
      shell.out(io, `fetch https://dl-cdn.alpinelinux.org/alpine/v3.22/${repo}/x86_64/APKINDEX.tar.gz\n`);
      if (!online)
        shell.err(
          io,
          `WARNING: updating and opening https://dl-cdn.alpinelinux.org/alpine/v3.22/${repo}: temporary error (try again later)\n`,
        );
    }
    shell.advance(800);
  }
  if (sub === 'update') {
    if (online)
      shell.out(
        io,
        'v3.22.1-49-g4d9b8b5e3a4 [https://dl-cdn.alpinelinux.org/alpine/v3.22/main]\nv3.22.1-51-g0ad7c5a44fa [https://dl-cdn.alpinelinux.org/alpine/v3.22/community]\nOK: 26326 distinct packages available\n',
      );
    return online ? 0 : 1;
  }
  if (sub !== 'add') {
    if (sub === undefined)
      shell.out(
        io,
        'apk-tools 2.14.9, compiled for x86_64.\n\nusage: apk [<OPTIONS>...] COMMAND [<ARGUMENTS>...]\n',
      );
    return 0;
  }
  if (!online) {
    shell.err(
      io,
      `ERROR: unable to select packages:\n${packages.map((p) => `  ${p} (no such package):\n    required by: world[${p}]\n`).join('')}`,
    );
    return 1;
  }
  const fresh = packages.filter((p) => !shell.installed.has(`pkg:${p}`));
  const deps = fresh.includes('curl')
    ? [
        'ca-certificates',
        'brotli-libs',
        'c-ares',
        'libunistring',
        'libidn2',
        'nghttp2-libs',
        'libpsl',
        'zstd-libs',
        'libcurl',
      ]
    : [];
  const all = [...deps, ...fresh];
  all.forEach((p, i) => {
    shell.out(io, `(${i + 1}/${all.length}) Installing ${p} (${APK_VERSIONS[p] ?? '1.0.0-r0'})\n`);
  });
  if (all.some((p) => p === 'ca-certificates'))
    shell.out(io, 'Executing busybox-1.37.0-r18.trigger\nExecuting ca-certificates-20250619-r0.trigger\n');
  shell.out(io, `OK: ${8 + all.length * 2} MiB in ${16 + all.length} packages\n`);
  install(shell, packages);
  shell.advance(1500);
  return 0;
});

define(['apt-get', 'apt'], (shell, argv, io) => {
  const args = argv.slice(1);
  const sub = args.find((a) => !a.startsWith('-'));
  const packages = args.filter((a) => !a.startsWith('-') && a !== sub);
  const online = internet(shell, 'deb.debian.org');
  if (sub === 'update') {
    if (!online) {
      shell.out(
        io,
        "Err:1 http://deb.debian.org/debian bookworm InRelease\n  Temporary failure resolving 'deb.debian.org'\n",
      );
      shell.err(
        io,
        'W: Some index files failed to download. They have been ignored, or old ones used instead.\n',
      );
      return 0;
    }
    shell.out(
      io,
      'Get:1 http://deb.debian.org/debian bookworm InRelease [151 kB]\nGet:2 http://deb.debian.org/debian bookworm-updates InRelease [55.4 kB]\nGet:3 http://deb.debian.org/debian-security bookworm-security InRelease [48.0 kB]\nGet:4 http://deb.debian.org/debian bookworm/main amd64 Packages [8792 kB]\nFetched 9047 kB in 2s (4523 kB/s)\nReading package lists...\n',
    );
    shell.installed.add('apt:updated');
    shell.advance(2000);
    return 0;
  }
  if (sub !== 'install') return 0;
  shell.out(io, 'Reading package lists...\nBuilding dependency tree...\nReading state information...\n');
  if (!shell.installed.has('apt:updated')) {
    shell.err(io, `E: Unable to locate package ${packages[0] ?? ''}\n`);
    return 100;
  }
  shell.out(
    io,
    `The following NEW packages will be installed:\n  ${packages.join(' ')}\n0 upgraded, ${packages.length} newly installed, 0 to remove and 0 not upgraded.\n`,
  );
  packages.forEach((p, i) => {
    shell.out(io, `Get:${i + 1} http://deb.debian.org/debian bookworm/main amd64 ${p} amd64 1.0 [120 kB]\n`);
  });
  for (const p of packages) {
    shell.out(io, `Selecting previously unselected package ${p}.\nSetting up ${p} (1.0) ...\n`);
  }
  install(shell, packages);
  shell.advance(3000);
  return 0;
});

define(['yum', 'dnf', 'microdnf'], (shell, argv, io) => {
  const args = argv.slice(1);
  const sub = args.find((a) => !a.startsWith('-'));
  const packages = args.filter((a) => !a.startsWith('-') && a !== sub);
  if (sub !== 'install') return 0;
  shell.out(
    io,
    `Dependencies resolved.\nInstalling:\n${packages.map((p) => ` ${p.padEnd(20)} x86_64   1.0-1.el8   baseos   120 k\n`).join('')}\nComplete!\n`,
  );
  install(shell, packages);
  shell.advance(3000);
  return 0;
});

define(['pip', 'pip3'], (shell, argv, io) => {
  const args = argv.slice(1);
  const sub = args.find((a) => !a.startsWith('-'));
  if (sub === '--version' || args.includes('--version') || args.includes('-V')) {
    shell.out(
      io,
      `pip 25.2 from /usr/local/lib/python3/site-packages/pip (python ${shell.run.image.version.split('.').slice(0, 2).join('.')})\n`,
    );
    return 0;
  }
  if (sub !== 'install') return 0;
  const packages = args.filter((a) => !a.startsWith('-') && a !== sub);
  if (!internet(shell, 'pypi.org')) {
    shell.out(
      io,
      `WARNING: Retrying (Retry(total=4, connect=None, read=None, redirect=None, status=None)) after connection broken by 'NewConnectionError': /simple/${packages[0]}/\n`,
    );
    shell.err(
      io,
      `ERROR: Could not find a version that satisfies the requirement ${packages[0]} (from versions: none)\nERROR: No matching distribution found for ${packages[0]}\n`,
    );
    return 1;
  }
  const versions: Record<string, string> = {
    redis: '3.5.3',
    requests: '2.32.5',
    flask: '3.1.2',
    Flask: '3.1.2',
  };
  for (const p of packages) {
    const v = versions[p] ?? '1.0.0';
    shell.out(
      io,
      `Collecting ${p}\n  Downloading ${p}-${v}-py${p === 'redis' ? '2.py3' : '3'}-none-any.whl (72 kB)\n`,
    );
  }
  shell.out(
    io,
    `Installing collected packages: ${packages.join(', ')}\nSuccessfully installed ${packages.map((p) => `${p}-${versions[p] ?? '1.0.0'}`).join(' ')}\n`,
  );
  shell.err(
    io,
    "WARNING: Running pip as the 'root' user can result in broken permissions and conflicting behaviour with the system package manager, possibly rendering your system unusable. It is recommended to use a virtual environment instead: https://pip.pypa.io/warnings/venv. Use the --root-user-action option if you know what you are doing and want to suppress this warning.\n",
  );
  for (const p of packages) shell.installed.add(`py:${p}`);
  shell.advance(3000);
  return 0;
});

define('git', (shell, argv, io) => {
  const args = argv.slice(1).filter((a) => !a.startsWith('-'));
  if (args[0] === 'version' || argv.includes('--version')) {
    shell.out(io, 'git version 2.49.1\n');
    return 0;
  }
  if (args[0] !== 'clone' || args[1] === undefined) return 0;
  const url = args[1];
  const name =
    url
      .replace(/\.git$/, '')
      .split('/')
      .pop() ?? 'repo';
  const dir = args[2] ?? name;
  const host = parseUrl(url)?.host ?? 'github.com';
  shell.err(io, `Cloning into '${dir}'...\n`);
  if (!internet(shell, host)) {
    shell.err(io, `fatal: unable to access '${url}/': Could not resolve host: ${host}\n`);
    return 128;
  }
  shell.advance(1000);
  const abs = shell.resolvePath(dir);
  if (/spoon-knife/i.test(url)) {
    shell.writeFile(`${abs}/index.html`, SPOON_KNIFE_INDEX);
    shell.writeFile(
      `${abs}/README.md`,
      '### Well hello there!\n\nThis repository is meant to provide an example for *forking* a repository on GitHub.\n',
    );
    shell.writeFile(`${abs}/styles.css`, '* {\n  margin:0px;\n  padding:0px;\n}\n');
  } else {
    shell.writeFile(`${abs}/README.md`, `# ${name}\n`);
  }
  return 0;
});

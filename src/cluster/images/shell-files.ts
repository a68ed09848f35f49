/**
 * The files and directories every container has before anything writes to it (`/etc/hostname`,
 * `/etc/resolv.conf`, `/etc/hosts`, `/etc/os-release`, the root directories), as the shell
 * reads and lists them.
 */

import type { ResolvedImage } from './resolved.js';
import type { Shell } from './shell-interpreter.js';

/** Files every container has (`/etc/hostname`, `/etc/resolv.conf`, `/etc/hosts`, `/etc/os-release`). */
export function builtinFile(path: string, shell: Shell): string | undefined {
  const ctx = shell.run.context;
  const pod = ctx?.podName ?? 'localhost';
  switch (path) {
    case '/etc/hostname':
      return `${pod}\n`;
    case '/etc/resolv.conf':
      return ctx
        ? `search ${ctx.namespace}.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n`
        : 'nameserver 127.0.0.53\n';
    case '/etc/hosts':
      return `# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n${ctx ? `${ctx.podIP}\t${pod}\n` : ''}`;
    case '/etc/os-release':
      return osRelease(shell.run.image);
    case '/var/run/secrets/kubernetes.io/serviceaccount/namespace':
      return ctx?.namespace;
    case '/dev/null':
      return '';
    case '/proc/1/cmdline':
      return (shell.run.mainArgv ?? []).join('\0');
    default:
      return undefined;
  }
}

function osRelease(image: ResolvedImage): string | undefined {
  switch (image.os) {
    case 'alpine':
      return 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.22.1\nPRETTY_NAME="Alpine Linux v3.22"\nHOME_URL="https://alpinelinux.org/"\nBUG_REPORT_URL="https://gitlab.alpinelinux.org/alpine/aports/-/issues"\n';
    case 'debian':
      return 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\nHOME_URL="https://www.debian.org/"\n';
    case 'ubuntu':
      return 'PRETTY_NAME="Ubuntu 24.04.3 LTS"\nNAME="Ubuntu"\nVERSION_ID="24.04"\nVERSION="24.04.3 LTS (Noble Numbat)"\nVERSION_CODENAME=noble\nID=ubuntu\nID_LIKE=debian\n';
    case 'centos':
      return 'NAME="CentOS Linux"\nVERSION="8"\nID="centos"\nID_LIKE="rhel fedora"\nVERSION_ID="8"\nPRETTY_NAME="CentOS Linux 8"\n';
    default:
      return undefined;
  }
}

const ROOT_DIRS = [
  'bin',
  'dev',
  'etc',
  'home',
  'lib',
  'media',
  'mnt',
  'opt',
  'proc',
  'root',
  'run',
  'sbin',
  'srv',
  'sys',
  'tmp',
  'usr',
  'var',
];

export function builtinDir(path: string): string[] | undefined {
  switch (path) {
    case '/':
      return ROOT_DIRS;
    case '/etc':
      return ['hostname', 'hosts', 'os-release', 'passwd', 'resolv.conf'];
    case '/tmp':
    case '/root':
    case '/home':
    case '/mnt':
    case '/opt':
    case '/srv':
    case '/media':
      return [];
    default:
      return ROOT_DIRS.includes(path.slice(1)) ? [] : undefined;
  }
}

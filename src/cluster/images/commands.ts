/**
 * The commands a container's shell runs: shell builtins (`echo`, `exit`, `test`, …), the
 * busybox/coreutils tools pods use (`sleep`, `cat`, `env`, `hostname`, `date`, `ls`, text
 * filters), the network tools (`ping`, `nslookup`, `wget`, `curl`, `nc`) answered through the
 * network view, package managers (`apk`, `apt-get`, `pip`), and the tools images bring
 * (`redis-cli`, `psql`, `consul`, `pxctl`, `nginx -v`). Output follows the real tools' wording:
 * busybox for alpine/busybox images, coreutils/GNU elsewhere, curl 7.61's error messages.
 *
 * Each family lives in its own module under commands/ and registers itself when imported; this
 * entry imports them in one fixed order so the command table is filled the same way every time.
 */

import './commands/builtins.js';
import './commands/time.js';
import './commands/files-and-system.js';
import './commands/text-filters.js';
import './commands/ping-dns.js';
import './commands/curl.js';
import './commands/wget.js';
import './commands/tcp-clients.js';
import './commands/package-managers.js';
import './commands/image-tools.js';

export { sleepMs } from './commands/time.js';

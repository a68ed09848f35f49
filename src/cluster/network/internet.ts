/**
 * The few internet hosts pods reach in the training (image-catalog §12.3): `ping 1.1.1.1`,
 * `apk add`, `pip install`, `git clone` from GitHub, haproxy's backends google.com and ibm.fr,
 * `curl` of kubectl's `stable.txt`, and `*.nip.io` names (they resolve to the address they
 * embed). Each answers HTTP with a fixed page or a redirect to its HTTPS site.
 */

import { GOOGLE_301, movedPermanently } from '../images/pages.js';
import type { HttpAnswer, HttpRequest, ProcessBehaviour } from '../images/types.js';

/** An internet host. */
export interface InternetHost {
  readonly names: readonly string[];
  readonly ip: string;
  /** The PTR name of its address. */
  readonly ptr?: string;
  /** Its HTTP answers (port 80; 443 speaks TLS). */
  answer(request: HttpRequest): HttpAnswer;
}

const redirect =
  (location: string, server = 'nginx'): ((request: HttpRequest) => HttpAnswer) =>
  () => ({
    status: 301,
    headers: { 'Content-Type': 'text/html', Location: location, Server: server },
    body: movedPermanently(location, server),
  });

const KUBERNETES_RELEASE = 'v1.34.5';

/** The hosts, by name and address. */
export const INTERNET_HOSTS: readonly InternetHost[] = [
  {
    names: ['one.one.one.one'],
    ip: '1.1.1.1',
    ptr: 'one.one.one.one',
    answer: redirect('https://1.1.1.1/', 'cloudflare'),
  },
  {
    names: ['dns.google'],
    ip: '8.8.8.8',
    ptr: 'dns.google',
    answer: redirect('https://dns.google/', 'HTTP server (unknown)'),
  },
  {
    names: ['google.com'],
    ip: '142.250.74.78',
    ptr: 'par10s40-in-f14.1e100.net',
    answer: () => ({
      status: 301,
      headers: {
        Location: 'http://www.google.com/',
        'Content-Type': 'text/html; charset=UTF-8',
        Server: 'gws',
      },
      body: GOOGLE_301,
    }),
  },
  {
    names: ['www.google.com'],
    ip: '142.250.74.68',
    ptr: 'par10s40-in-f4.1e100.net',
    answer: () => ({
      status: 200,
      headers: { 'Content-Type': 'text/html; charset=ISO-8859-1', Server: 'gws' },
      body: '<!doctype html><html itemscope="" itemtype="http://schema.org/WebPage" lang="en"><head><title>Google</title></head><body></body></html>',
    }),
  },
  {
    names: ['ibm.fr', 'www.ibm.fr'],
    ip: '104.104.145.143',
    ptr: 'a104-104-145-143.deploy.static.akamaitechnologies.com',
    answer: () => ({
      status: 301,
      headers: { Location: 'https://www.ibm.com/fr-fr', 'Content-Type': 'text/html', Server: 'AkamaiGHost' },
      body: '<HTML><HEAD>\n<TITLE>Moved Permanently</TITLE>\n</HEAD><BODY>\n<H1>Moved Permanently</H1>\nThe document has moved <A HREF="https://www.ibm.com/fr-fr">here</A>.\n</BODY></HTML>\n',
    }),
  },
  {
    names: ['github.com'],
    ip: '140.82.121.4',
    ptr: 'lb-140-82-121-4-fra.github.com',
    answer: redirect('https://github.com/', 'GitHub.com'),
  },
  {
    names: ['dl-cdn.alpinelinux.org'],
    ip: '151.101.2.133',
    answer: () => ({ status: 200, body: '', headers: { Server: 'nginx' } }),
  },
  {
    names: ['deb.debian.org'],
    ip: '151.101.2.132',
    answer: () => ({ status: 200, body: '', headers: { Server: 'Apache' } }),
  },
  {
    names: ['pypi.org', 'files.pythonhosted.org'],
    ip: '151.101.0.223',
    answer: redirect('https://pypi.org/', 'Varnish'),
  },
  {
    names: ['storage.googleapis.com'],
    ip: '142.250.179.91',
    answer: (request) =>
      request.path.endsWith('/stable.txt')
        ? { status: 200, headers: { 'Content-Type': 'text/plain' }, body: `${KUBERNETES_RELEASE}\n` }
        : {
            status: 404,
            headers: { 'Content-Type': 'application/xml; charset=UTF-8' },
            body: "<?xml version='1.0' encoding='UTF-8'?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>",
          },
  },
  {
    names: ['dl.k8s.io', 'cdn.dl.k8s.io'],
    ip: '34.107.204.206',
    answer: (request) =>
      request.path.endsWith('/stable.txt')
        ? { status: 200, headers: { 'Content-Type': 'text/plain' }, body: KUBERNETES_RELEASE }
        : redirect(`https://cdn.dl.k8s.io${request.path}`, 'Google Frontend')(request),
  },
  {
    names: ['kubernetes.io', 'www.kubernetes.io'],
    ip: '15.197.167.90',
    answer: redirect('https://kubernetes.io/', 'Netlify'),
  },
  {
    names: ['example.com', 'www.example.com'],
    ip: '23.192.228.80',
    answer: () => ({
      status: 200,
      headers: { 'Content-Type': 'text/html' },
      body: '<!doctype html>\n<html>\n<head>\n    <title>Example Domain</title>\n</head>\n<body>\n<div>\n    <h1>Example Domain</h1>\n    <p>This domain is for use in illustrative examples in documents. You may use this\n    domain in literature without prior coordination or asking for permission.</p>\n</div>\n</body>\n</html>\n',
    }),
  },
  {
    names: ['install.portworx.com'],
    ip: '35.186.242.43',
    answer: () => ({ status: 200, headers: { 'Content-Type': 'text/plain' }, body: '' }),
  },
  {
    names: ['registry-1.docker.io', 'docker.io', 'index.docker.io'],
    ip: '54.236.113.205',
    answer: redirect('https://hub.docker.com/', 'nginx'),
  },
  { names: ['quay.io'], ip: '3.216.152.103', answer: redirect('https://quay.io/', 'nginx') },
  {
    names: ['registry.k8s.io'],
    ip: '34.96.108.209',
    answer: redirect('https://registry.k8s.io/', 'Google Frontend'),
  },
];

const byName = new Map<string, InternetHost>();
const byIP = new Map<string, InternetHost>();
for (const host of INTERNET_HOSTS) {
  for (const name of host.names) byName.set(name, host);
  byIP.set(host.ip, host);
}

/** Resolves an internet name (`google.com`, `10.0.0.11.nip.io`). */
export function resolveInternet(
  name: string,
): { addresses: readonly string[]; canonicalName: string } | undefined {
  const nip = /(?:^|[.-])(\d{1,3})[.-](\d{1,3})[.-](\d{1,3})[.-](\d{1,3})\.(?:nip|sslip)\.io$/.exec(name);
  if (nip) return { addresses: [nip.slice(1, 5).join('.')], canonicalName: name };
  const host = byName.get(name);
  return host === undefined ? undefined : { addresses: [host.ip], canonicalName: name };
}

/** The internet host at an address, if the simulation knows it. */
export function internetHost(ip: string): InternetHost | undefined {
  return byIP.get(ip);
}

/** An internet host as a connection target: it answers on 80 (HTTP) and 443 (HTTPS). */
export function internetBehaviour(host: InternetHost): ProcessBehaviour {
  return {
    startupMs: 0,
    ports: [
      { port: 80, protocol: 'TCP' },
      { port: 443, protocol: 'TCP', tls: true },
    ],
    ignoresSigterm: false,
    logs: () => [],
    http: (request) => host.answer(request),
    exec: () => ({ stdout: '', stderr: '', exitCode: 126 }),
  };
}

/**
 * The Elastic stack: elasticsearch (node names by major version, its root and health answers)
 * and kibana.
 */

import { type AppStart, fixedLogs, text, toPorts } from './apps-base.js';
import { intHash, sha256Hex } from './text.js';
import type { AppProcess, TimedLine } from './timeline.js';

export function elasticsearch(start: AppStart): AppProcess {
  const { image } = start;
  const major = Number.parseInt(image.version, 10);
  const nodeName = (pod: string) => {
    if (major <= 2) return MARVEL[intHash(0, MARVEL.length - 1, pod, 'es-name')]!;
    if (major >= 7) return pod;
    return sha256Hex(`${pod}/es`).slice(0, 7).replace(/^\d/, 'x');
  };
  const l = (at: number, t: string): TimedLine => ({ at, text: t, stream: 'stdout' });
  const lines = (pod: string) => [
    l(
      2000,
      `[{log4j}][INFO ][node                     ] [${nodeName(pod)}] version[${image.version}], pid[1], build[${sha256Hex(image.version).slice(0, 7)}/2017-07-18T12:17:44Z]`,
    ),
    l(2000, `[{log4j}][INFO ][node                     ] [${nodeName(pod)}] initializing ...`),
    l(
      image.startupMs - 500,
      `[{log4j}][INFO ][http                     ] [${nodeName(pod)}] publish_address {{ip}:9200}, bound_addresses {[::]:9200}`,
    ),
    l(image.startupMs, `[{log4j}][INFO ][node                     ] [${nodeName(pod)}] started`),
  ];
  return {
    startupMs: image.startupMs,
    ports: toPorts(image.ports),
    ignoresSigterm: false,
    logs(ctx, startedAt, until, window) {
      return fixedLogs(image, lines(ctx.podName))(ctx, startedAt, until, window);
    },
    http(request, ctx) {
      if (request.port !== 9200) return undefined;
      const path = request.path.split('?')[0] ?? '/';
      const uuid =
        major >= 5 ? `  "cluster_uuid" : "${sha256Hex(`${ctx.podName}/uuid`).slice(0, 22)}",\n` : '';
      if (path === '/') {
        const body =
          `{\n  "name" : "${nodeName(ctx.podName)}",\n  "cluster_name" : "elasticsearch",\n${uuid}  "version" : {\n` +
          `    "number" : "${image.version}",\n    "build_hash" : "${sha256Hex(image.version).slice(0, 40)}",\n` +
          `    "build_timestamp" : "2017-07-18T12:17:44Z",\n    "build_snapshot" : false,\n    "lucene_version" : "5.5.4"\n  },\n` +
          `  "tagline" : "You Know, for Search"\n}\n`;
        return text(body, 200, 'application/json; charset=UTF-8');
      }
      if (path === '/_cluster/health') {
        return text(
          '{"cluster_name":"elasticsearch","status":"green","timed_out":false,"number_of_nodes":1,"number_of_data_nodes":1,"active_primary_shards":0,"active_shards":0,"relocating_shards":0,"initializing_shards":0,"unassigned_shards":0}',
          200,
          'application/json; charset=UTF-8',
        );
      }
      return text(
        `{"error":{"root_cause":[{"type":"index_not_found_exception","reason":"no such index","index":"${path.split('/')[1]}"}],"type":"index_not_found_exception","reason":"no such index"},"status":404}`,
        404,
        'application/json; charset=UTF-8',
      );
    },
  };
}

export function kibana(start: AppStart): AppProcess {
  const { image } = start;
  const l = (at: number, t: string): TimedLine => ({ at, text: t, stream: 'stdout' });
  return {
    startupMs: image.startupMs,
    ports: [{ port: 5601, protocol: 'TCP' }],
    ignoresSigterm: false,
    logs: fixedLogs(image, [
      l(
        5000,
        `{"type":"log","@timestamp":"{rfc3339}","tags":["status","plugin:kibana@${image.version}","info"],"pid":1,"state":"green","message":"Status changed from uninitialized to green - Ready","prevState":"uninitialized","prevMsg":"uninitialized"}`,
      ),
      l(
        image.startupMs,
        '{"type":"log","@timestamp":"{rfc3339}","tags":["listening","info"],"pid":1,"message":"Server running at http://0.0.0.0:5601"}',
      ),
    ]),
    http(request) {
      if (request.port !== 5601) return undefined;
      const path = request.path.split('?')[0] ?? '/';
      if (path === '/') return text('', 302, 'text/html; charset=utf-8', { Location: '/app/kibana' });
      if (path === '/api/status')
        return text(
          `{"name":"kibana","version":{"number":"${image.version}"},"status":{"overall":{"state":"green"}}}`,
          200,
          'application/json; charset=utf-8',
        );
      return text(
        '<!DOCTYPE html><html><head><title>Kibana</title></head><body><kbn-chrome></kbn-chrome></body></html>',
        200,
        'text/html; charset=utf-8',
      );
    },
  };
}

const MARVEL = [
  'Jessica Jones',
  'Luke Cage',
  'Silver Surfer',
  'Nightcrawler',
  'Black Widow',
  'Iron Fist',
  'Daredevil',
  'Storm',
  'Beast',
  'Cyclops',
  'Rogue',
  'Gambit',
  'Mystique',
  'Wolverine',
  'Phoenix',
  'Colossus',
  'Quicksilver',
  'Scarlet Witch',
  'Vision',
  'Hawkeye',
  'Black Panther',
  'Doctor Strange',
  'Moon Knight',
  'She-Hulk',
  'Wasp',
  'Ant-Man',
  'Falcon',
  'Namor',
  'Medusa',
  'Black Bolt',
  'Crystal',
  'Karnak',
  'Gorgon',
  'Lockjaw',
  'Sasquatch',
  'Northstar',
  'Aurora',
  'Shaman',
  'Snowbird',
  'Puck',
  'Guardian',
  'Sunfire',
  'Banshee',
  'Havok',
  'Polaris',
];

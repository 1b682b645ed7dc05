/**
 * `npm run load`: a mixed workload against a running geopera, with autocannon — reads, creates with
 * Idempotency-Keys, job polling, ranged downloads and map tiles at once — printing every 10 s the
 * server's RSS and event-loop delay (a probe request), and at the end requests/s, p50/p99 and statuses
 * per kind, then checks every job completed exactly once.
 *
 *   npm run load                                  60 s against a server it starts (built dist/, temp data dir)
 *   npm run load -- --duration 600                a 10-minute soak
 *   npm run load -- --url http://host:8080 --key gpra_… [--org default] [--pid PID]   a server started elsewhere
 *   other flags: --create-rate N (creates a second, default 1), --conns N (connections per read/tile kind, default 4), --seed N
 */
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { createRequests, downloadRequest, pollRequest, prng, readRequest, tileRequest, type Workload } from './load.kinds.js';
import { kindTable, rssTrend, sampleLine, startSampler, statusTotals } from './load.report.js';
import { externalTarget, startLoadServer, type LoadTarget } from './load.server.js';
import { drain, verify, type Call } from './load.verify.js';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '60' }, 'create-rate': { type: 'string', default: '1' }, conns: { type: 'string', default: '4' },
    url: { type: 'string' }, key: { type: 'string' }, org: { type: 'string', default: 'default' }, pid: { type: 'string' }, seed: { type: 'string', default: '1' },
  },
});
const durationS = Number(args.duration);
const conns = Number(args.conns);
const seed = Number(args.seed);

const target: LoadTarget = args.url && args.key ? externalTarget(args.url, args.key, args.org, args.pid ? Number(args.pid) : undefined) : await startLoadServer();
const origin = new URL(target.url).origin;
const call: Call = async (op, body) => {
  const res = await fetch(`${target.url}/v1/op/${op}`, { method: 'POST', headers: { 'x-api-key': target.key, 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
  const json = (await res.json()) as Record<string, any>;
  if (res.status !== 200) throw new Error(`${op}: ${res.status} ${JSON.stringify(json)}`);
  return json;
};
const local = (url: string): string => url.replace(origin, '');

try {
  // Set-up: the area, two finished jobs whose files and tiles the download and tile kinds fetch.
  const areas = (await call('clip.areas.list', {})).items as { id: string; bounds: [number, number, number, number]; mosaic_types: string[] }[];
  const area = areas.find((a) => a.mosaic_types.includes('visual') && a.bounds);
  if (!area) throw new Error('no area with a "visual" mosaic to load');
  const w: Workload = { key: target.key, org: target.org, area: area.id, bbox: area.bounds, downloads: [], tiles: [], jobs: [], setupJobs: [], byKey: new Map(), replays: 0 };
  const [west, south, east, north] = area.bounds;
  const mid = (a: number, b: number, f: number): number => a + (b - a) * f;
  const setupJobs: string[] = [];
  for (const [types, f] of [[['visual'], 0.2], [['visual', 'analytic'], 0.6]] as const) {
    const ring = [[mid(west, east, f), mid(south, north, f)], [mid(west, east, f + 0.3), mid(south, north, f)], [mid(west, east, f + 0.3), mid(south, north, f + 0.3)], [mid(west, east, f), mid(south, north, f + 0.3)], [mid(west, east, f), mid(south, north, f)]];
    setupJobs.push((await call('clip.create_from_area', { area: area.id, mosaic_types: types, organization_id: target.org, aoi_name: 'load set-up', aoi_geometry: { type: 'Polygon', coordinates: [ring] } })).job.id as string);
  }
  if (!(await drain(call, target.org))) throw new Error('set-up jobs did not finish');
  w.setupJobs.push(...setupJobs);
  for (const id of setupJobs) {
    for (const d of (await call('clip.job.downloads', { job_id: id })).items as { url: string; size_bytes: number }[]) w.downloads.push({ path: local(d.url), size: d.size_bytes });
    const info = await call('clip.job.tile_info', { job_id: id });
    for (const doc of Object.values(info.mosaics as Record<string, { tiles: string[]; bounds: [number, number, number, number]; minzoom: number; maxzoom: number }>)) {
      w.tiles.push({ template: local(doc.tiles[0]!), bounds: doc.bounds, minzoom: doc.minzoom, maxzoom: doc.maxzoom });
    }
  }
  const areaDoc = (await (await fetch(`${target.url}/v1/tiles/areas/${area.id}/visual/tilejson.json`, { headers: { 'x-api-key': target.key } })).json()) as { tiles: string[]; bounds: [number, number, number, number]; minzoom: number; maxzoom: number };
  w.tiles.push({ template: local(areaDoc.tiles[0]!), bounds: areaDoc.bounds, minzoom: areaDoc.minzoom, maxzoom: areaDoc.maxzoom });

  process.stdout.write(`geopera load: ${target.url}, ${durationS} s; reads ${conns} conns, tiles ${conns}, polls 2, downloads 2, creates 1 at ${args['create-rate']}/s (Idempotency-Key each sent twice)\n`);
  const runId = `load-${seed}-${process.pid}`;
  const creates = createRequests(w, runId, seed);
  const [rndRead, rndPoll, rndDl, rndTile] = [11, 13, 17, 19].map((m) => prng(seed * m)) as [() => number, () => number, () => number, () => number];
  const common = { url: target.url, duration: durationS, timeout: 30 };
  const kinds: [string, autocannon.Options][] = [
    ['read', { ...common, connections: conns, requests: [{ setupRequest: (r) => ({ ...r, ...readRequest(w, rndRead) }) }] }],
    ['create', { ...common, connections: 1, overallRate: Number(args['create-rate']), requests: [{ setupRequest: creates.setup, onResponse: creates.onResponse }] }],
    ['poll', { ...common, connections: 2, requests: [{ setupRequest: (r) => ({ ...r, ...pollRequest(w, rndPoll) }) }] }],
    ['download', { ...common, connections: 2, requests: [{ setupRequest: (r) => ({ ...r, ...downloadRequest(w, rndDl) }) }] }],
    ['tile', { ...common, connections: conns, requests: [{ setupRequest: (r) => ({ ...r, ...tileRequest(w, rndTile) }) }] }],
  ];
  const completed = async (): Promise<number> => Number((await call('clip.jobs.list', { organization_id: target.org, status: 'completed', limit: 1 })).total);
  const sampler = startSampler(target.url, target.pid, completed, (s) => process.stdout.write(`${sampleLine(s)}\n`));
  const results = new Map<string, autocannon.Result>();
  await Promise.all(kinds.map(async ([kind, opts]) => results.set(kind, await autocannon(opts))));
  const samples = await sampler.stop();
  const ordered = new Map(kinds.map(([k]) => [k, results.get(k)!]));

  process.stdout.write(`\n${kindTable(ordered)}\n`);
  const totals = statusTotals(ordered);
  const fivexx = [...totals].filter(([code]) => code >= 500).reduce((n, [, c]) => n + c, 0);
  const connErrors = [...ordered.values()].reduce((n, r) => n + r.errors, 0);
  process.stdout.write(`responses by status: ${[...totals].sort(([a], [b]) => a - b).map(([c, n]) => `${c}: ${n}`).join(', ')}; >= 500: ${fivexx}; connection errors: ${connErrors}\n`);
  const trend = rssTrend(samples);
  if (trend) process.stdout.write(`rss after warm-up: ${trend.warmMb.toFixed(1)} MB → last third ${trend.lastMb.toFixed(1)} MB (${trend.growthPct >= 0 ? '+' : ''}${trend.growthPct.toFixed(1)} %)\n`);
  const delays = samples.map((s) => s.probeP99Ms).filter((n) => !Number.isNaN(n));
  if (delays.length) process.stdout.write(`event-loop delay (probe p99 per 10 s): median ${delays.sort((a, b) => a - b)[Math.floor(delays.length / 2)]!.toFixed(1)} ms, worst ${delays.at(-1)!.toFixed(1)} ms\n`);

  const cut = await creates.settle(async (body, key) => {
    const res = await fetch(`${target.url}/v1/op/clip.create_from_area`, { method: 'POST', headers: { 'x-api-key': target.key, 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify(body) });
    return { status: res.status, text: await res.text(), replayed: res.headers.get('idempotent-replayed') === 'true' };
  });
  if (cut > 0) process.stdout.write(`creates cut off by the end of the run, sent again with their Idempotency-Key: ${cut}\n`);
  const drained = await drain(call, target.org);
  const v = await verify(call, w, target.dataDir);
  const completedAll = (v.statuses.completed ?? 0) === v.jobs;
  process.stdout.write(`jobs: ${v.keys} Idempotency-Keys → ${v.jobs} jobs (${v.replays} replays; keys naming >1 job: ${v.duplicateKeys}); statuses ${JSON.stringify(v.statuses)}; ` +
    `org lists ${v.listedJobs} jobs (${setupJobs.length} set-up); ledger not hold+capture: ${v.badLedger ?? 'not checked'}; files checked ${v.filesChecked}, bad: ${v.badFiles ?? 'not checked'}\n`);
  const ok = fivexx === 0 && connErrors === 0 && drained && completedAll && v.duplicateKeys === 0 && v.listedJobs === v.jobs + setupJobs.length && !v.badLedger && !v.badFiles;
  process.stdout.write(ok ? 'load: OK\n' : 'load: FAILED\n');
  process.exitCode = ok ? 0 : 1;
} finally {
  await target.stop();
}

/**
 * The mixed workload, one autocannon instance per kind of request: reads, creates with
 * Idempotency-Keys (each key sent twice: the second is a replay), job polling, ranged downloads of
 * signed links, and map tiles. Requests are made per call (`setupRequest`) from a shared state.
 */
import type autocannon from 'autocannon';
import { rng } from '../../test/raster/plan/polygon.fixtures.js';

/** What the workload needs from the setup, and what the creates record. */
export interface Workload {
  key: string;
  org: string;
  area: string;
  /** The area's bounds (WGS84) that AOIs are drawn in */
  bbox: [number, number, number, number];
  /** Signed download links (path + query) of completed jobs, with their sizes */
  downloads: { path: string; size: number }[];
  /** Tile URL templates (path + query, `{z}/{x}/{y}`), each with its bounds and zooms */
  tiles: { template: string; bounds: [number, number, number, number]; minzoom: number; maxzoom: number }[];
  /** Job ids answered by creates, newest last */
  jobs: string[];
  /** Jobs polled before any create answered (the set-up's) */
  setupJobs: string[];
  /** Idempotency-Key → the job ids its answers named (one each when all is well) */
  byKey: Map<string, Set<string>>;
  /** Idempotency-Keys whose answer was a replay (`Idempotent-Replayed: true`) */
  replays: number;
}

/** A seeded PRNG (mulberry32), so runs draw the same sequence of requests. */
export const prng = rng;

const json = (key: string, body: unknown, extra: Record<string, string> = {}): Pick<autocannon.Request, 'method' | 'headers' | 'body'> => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', accept: 'application/json', 'x-api-key': key, ...extra },
  body: JSON.stringify(body),
});

/** A small polygon (about `frac` of the bbox's width) at a random place inside it. */
function smallAoi(bbox: [number, number, number, number], frac: number, rnd: () => number): Record<string, unknown> {
  const [w, s, e, n] = bbox;
  const dx = (e - w) * frac;
  const dy = (n - s) * frac;
  const x = w + (e - w - dx) * rnd();
  const y = s + (n - s - dy) * rnd();
  return { type: 'Polygon', coordinates: [[[x, y], [x + dx, y], [x + dx * 0.7, y + dy], [x, y + dy * 0.9], [x, y]]] };
}

/** Reads: the catalog and the org's job list. */
export function readRequest(w: Workload, rnd: () => number): autocannon.Request {
  const calls: [string, unknown][] = [
    ['clip.areas.list', {}],
    ['clip.area.mosaics', { area: w.area }],
    ['clip.area.metadata', { area: w.area }],
    ['clip.jobs.list', { organization_id: w.org, limit: 20 }],
  ];
  const [op, body] = calls[Math.floor(rnd() * calls.length)]!;
  return { path: `/v1/op/${op}`, ...json(w.key, body) };
}

/**
 * Creates: request n uses Idempotency-Key `<run>-<n/2>` with that key's body, so every key is sent
 * twice and the second answer must replay the first job. Every other key clips both mosaics.
 * `settle` re-sends, as a client would, the keys whose answer the end of the run cut off.
 */
export function createRequests(w: Workload, runId: string, seed: number): {
  setup: (r: autocannon.Request) => autocannon.Request;
  onResponse: (status: number, body: string, ctx: object, headers: Record<string, string | string[] | undefined> | undefined) => void;
  settle: (post: (body: unknown, key: string) => Promise<{ status: number; text: string; replayed: boolean }>) => Promise<number>;
} {
  let n = 0;
  const bodies = new Map<string, unknown>();
  const pending: string[] = [];
  const record = (k: string, status: number, text: string, replayed: boolean): void => {
    if (status !== 200) return;
    const id = (JSON.parse(text) as { job: { id: string } }).job.id;
    const seen = w.byKey.get(k) ?? new Set<string>();
    if (seen.size === 0) w.jobs.push(id);
    seen.add(id);
    w.byKey.set(k, seen);
    if (replayed) w.replays++;
  };
  return {
    setup: (r) => {
      const k = `${runId}-${Math.floor(n / 2)}`;
      n++;
      let body = bodies.get(k);
      if (!body) {
        const rnd = prng(seed + n);
        body = { area: w.area, mosaic_types: n % 4 === 1 ? ['visual', 'analytic'] : ['visual'], organization_id: w.org, aoi_name: `load ${k}`, aoi_geometry: smallAoi(w.bbox, 0.08, rnd) };
        bodies.set(k, body);
      }
      pending.push(k);
      return { ...r, path: '/v1/op/clip.create_from_area', ...json(w.key, body, { 'idempotency-key': k }) };
    },
    // One connection, so answers come back in the order the requests were made.
    onResponse: (status, text, _ctx, headers) => {
      const k = pending.shift();
      if (k) record(k, status, text, Object.entries(headers ?? {}).some(([h, v]) => h.toLowerCase() === 'idempotent-replayed' && v === 'true'));
    },
    settle: async (post) => {
      const cut = [...new Set(pending.splice(0))];
      for (const k of cut) {
        const r = await post(bodies.get(k), k);
        record(k, r.status, r.text, r.replayed);
      }
      return cut.length;
    },
  };
}

/** Polling: `clip.job.get` of one of the 50 newest jobs. */
export function pollRequest(w: Workload, rnd: () => number): autocannon.Request {
  const recent = w.jobs.length > 0 ? w.jobs.slice(-50) : w.setupJobs;
  const id = recent[Math.floor(rnd() * recent.length)] ?? 'job_none';
  return { path: '/v1/op/clip.job.get', ...json(w.key, { job_id: id }) };
}

/** Ranged downloads: a random range of up to 256 KiB of a finished output, through its signed link. */
export function downloadRequest(w: Workload, rnd: () => number): autocannon.Request {
  const d = w.downloads[Math.floor(rnd() * w.downloads.length)]!;
  const start = Math.floor(rnd() * d.size);
  const end = Math.min(d.size - 1, start + Math.floor(rnd() * 256 * 1024));
  return { method: 'GET', path: d.path, headers: { range: `bytes=${start}-${end}` } };
}

function lon2x(lon: number, z: number): number {
  return Math.floor(((lon + 180) / 360) * 2 ** z);
}

function lat2y(lat: number, z: number): number {
  const r = (lat * Math.PI) / 180;
  return Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z);
}

/** Map tiles: a random tile inside a layer's bounds at a random zoom, as a map would ask for. */
export function tileRequest(w: Workload, rnd: () => number): autocannon.Request {
  const t = w.tiles[Math.floor(rnd() * w.tiles.length)]!;
  const z = t.minzoom + Math.floor(rnd() * (Math.min(t.maxzoom, 19) - t.minzoom + 1));
  const [west, south, east, north] = t.bounds;
  const x0 = lon2x(west, z);
  const x1 = lon2x(east, z);
  const y0 = lat2y(north, z);
  const y1 = lat2y(south, z);
  const x = x0 + Math.floor(rnd() * (x1 - x0 + 1));
  const y = y0 + Math.floor(rnd() * (y1 - y0 + 1));
  return { method: 'GET', path: t.template.replace('{z}', String(z)).replace('{x}', String(x)).replace('{y}', String(y)) };
}

/**
 * `npm run bench:tiles`: map tiles of a finished clip job over HTTP, as a map client fetches them.
 *
 * Starts geopera as a child process over a temp data dir (the repo's sample area, or BENCH_AREA_DIR),
 * clips most of a mosaic (BENCH_MOSAIC, default the first one), asks `clip.job.tile_info`, then sweeps
 * every zoom from minzoom to maxzoom (at most BENCH_PER_ZOOM tiles a zoom, the ones nearest the centre)
 * with BENCH_CONCURRENCY (32) requests in flight: first the same tiles of the area's mosaic (a freshly
 * started process: the JIT warms up), then the job's with cold caches, then again with warm caches (the
 * encoded-tile cache answers what it kept), then the same tiles under new URLs (rendered again from warm
 * decoded-tile caches). Prints tiles/s, latency p50/p99 and where the time went (the Server-Timing
 * stages of the middle tiles and of the slowest 1 %), and,
 * in the same run, the rate of sharp encoding the same tiles alone (the reference the issue sets the target
 * against), the rate of the codec addon encoding them alone (the server's own PNG encoder) and the HTTP floor (`bare.http.ts`: a bare node:http server
 * answering the same sizes to the same client). Two sweeps with 6 requests in flight (a browser's
 * per-host limit) show the latency a map user sees: tiles rendered anew, and tiles from the cache. BENCH_FORMAT picks png (default), webp or jpg;
 * BENCH_2X=1 asks for 512-pixel tiles; BENCH_BY_ZOOM=1 adds latency percentiles per zoom; while each sweep runs, a
 * cheap call (GET /v1/op) every 20 ms shows how responsive the event loop stays; BENCH_NODE_ARGS passes flags to the server's node (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`, or `--trace-gc`
 * with BENCH_SERVER_STDOUT naming a file the server's stdout is appended to). With GEOPERA_STORAGE_URL (and
 * AWS_*) set, the areas are uploaded to that bucket first and the server reads and writes its files there.
 */
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { generateApiKey } from '../../src/auth/api.key.js';
import { loadConfig } from '../../src/config.js';
import { openFileStore } from '../../src/files/file.store.open.js';
import { nativeCodecs } from '../../src/raster/native/codecs.native.js';
import { EncodeSettings, NativePng } from '../../src/tiles/tile.encode.js';
import type { TileAddress } from '../../src/tiles/tile.grid.js';
import { bareHttpCost } from './bare.http.js';
import { agent, cpuSeconds, get, inFlight as pool, op, parseServerTiming, percentile, startChildServer as startServer, tileUrlOf, tilesOf } from './bench.child.js';
import { copyIntoStore, repoRoot } from './bench.util.js';

const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);
const perZoom = Number(process.env.BENCH_PER_ZOOM ?? 400);
const format = (process.env.BENCH_FORMAT ?? 'png') as 'png' | 'webp' | 'jpg';
const areaDir = process.env.BENCH_AREA_DIR ?? path.join(repoRoot, 'data', 'areas');

/**
 * The mean stage times (the server's Server-Timing: queue, read, draw, encode; `outside` = the rest of the
 * latency: HTTP, the event loop, the client) of the middle tiles (p45–p55) and of the slowest 1 %, and how
 * many answers came from the encoded-tile cache.
 */
function stageBreakdown(timed: { ms: number; stages: Record<string, number> }[]): string {
  const sorted = [...timed].sort((a, b) => a.ms - b.ms);
  const mean = (part: typeof sorted): string => {
    const names = ['queue', 'read', 'draw', 'encode'];
    const sums = names.map((n) => part.reduce((s, t) => s + (t.stages[n] ?? 0), 0) / part.length);
    const outside = part.reduce((s, t) => s + t.ms, 0) / part.length - sums.reduce((a, b) => a + b, 0);
    return [...names.map((n, i) => `${n} ${sums[i]!.toFixed(1)}`), `outside ${outside.toFixed(1)}`].join(', ');
  };
  const n = sorted.length;
  const middle = sorted.slice(Math.floor(n * 0.45), Math.max(Math.floor(n * 0.45) + 1, Math.floor(n * 0.55)));
  const slowest = sorted.slice(Math.floor(n * 0.99));
  const cached = timed.filter((t) => 'cache' in t.stages).length;
  return `ms: middle tiles ${mean(middle)}; slowest 1 % ${mean(slowest)}; ${cached} from the encoded-tile cache`;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'geopera-bench-tiles-'));
  const files = loadConfig({ ...process.env, GEOPERA_DATA_DIR: dataDir }).files;
  const store = files.kind === 's3' ? await openFileStore(files) : undefined;
  if (store) await copyIntoStore(store, areaDir, 'areas');
  else symlinkSync(areaDir, path.join(dataDir, 'areas'));
  const key = generateApiKey();
  const { url, child } = await startServer(dataDir, key);
  try {
    const areas = (await op(url, key, 'clip.areas.list', {})).items as { id: string; bounds: [number, number, number, number]; mosaic_types: string[] }[];
    const area = areas.find((a) => a.id === (process.env.BENCH_AREA ?? a.id))!;
    const mosaic = process.env.BENCH_MOSAIC ?? (area.mosaic_types.includes('visual') ? 'visual' : area.mosaic_types[0]!);
    const [w, s, e, n] = area.bounds;
    const dx = (e - w) * 0.1;
    const dy = (n - s) * 0.1;
    const aoi = { type: 'Polygon', coordinates: [[[w + dx, s + dy], [e - dx, s + dy], [e - dx, n - dy], [w + dx * 3, n - dy], [w + dx, s + dy]]] };
    const t0 = performance.now();
    const created = await op(url, key, 'clip.create_from_area', { area: area.id, mosaic_types: [mosaic], aoi_geometry: aoi, organization_id: 'default', aoi_name: 'bench' });
    const jobId = (created.job as { id: string }).id;
    for (;;) {
      const job = await op(url, key, 'clip.job.get', { job_id: jobId });
      if (job.status === 'completed') break;
      if (job.status === 'failed' || job.status === 'canceled') throw new Error(`job ${String(job.status)}: ${JSON.stringify(job.error)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    process.stdout.write(`clip of ${area.id}/${mosaic} (80 % of the area) completed in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    const info = await op(url, key, 'clip.job.tile_info', { job_id: jobId, mosaic_type: mosaic });
    const templates = process.env.BENCH_2X ? 'tile_templates_2x' : 'tile_templates';
    const template = (info[templates] as Record<string, string>)[format]!;
    const { minzoom, maxzoom } = info as { minzoom: number; maxzoom: number };
    const tiles: TileAddress[] = [];
    for (let z = minzoom; z <= maxzoom; z++) tiles.push(...tilesOf(info.bounds as [number, number, number, number], z, perZoom));
    process.stdout.write(`tile_info: zooms ${minzoom}..${maxzoom}, ${tiles.length} tiles (${format}, at most ${perZoom} a zoom), concurrency ${concurrency}\n`);

    // No timed sweep keeps its images: a client holding 70 MB of bodies runs a mark-compact every few hundred
    // milliseconds (external memory), and its pauses (up to 10 ms, measured with --trace-gc) land in the
    // latencies it measures. The encode-only limit takes its images from an untimed fetch at the end.
    const sweep = async (label: string, inFlight = concurrency, tileTemplate = template): Promise<void> => {
      const latencies: number[] = [];
      const timed: { ms: number; stages: Record<string, number> }[] = [];
      let images = 0;
      const byZoom = new Map<number, number[]>();
      let bytes = 0;
      let empty = 0;
      const serverCpu0 = cpuSeconds(child.pid!);
      const mainCpu0 = cpuSeconds(child.pid!, true);
      const clientCpu0 = process.cpuUsage();
      const start = performance.now();
      // The event loop's responsiveness under the tile load: a cheap request (the operation list) every 20 ms.
      const probes: number[] = [];
      let sweeping = true;
      const probing = (async () => {
        while (sweeping) {
          const a = performance.now();
          await get(`${url}/v1/op`);
          probes.push(performance.now() - a);
          await new Promise((r) => setTimeout(r, 20));
        }
      })();
      await pool(tiles, inFlight, async (t) => {
        const u = tileUrlOf(tileTemplate, t);
        const a = performance.now();
        const res = await get(u);
        const body = res.body;
        const ms = performance.now() - a;
        latencies.push(ms);
        timed.push({ ms, stages: parseServerTiming(res.serverTiming) });
        if (!byZoom.has(t.z)) byZoom.set(t.z, []);
        byZoom.get(t.z)!.push(ms);
        if (res.status === 200) {
          bytes += body.length;
          images++;
        } else if (res.status === 204) empty++;
        else throw new Error(`${u} answered ${res.status}: ${body.toString()}`);
      });
      const wallS = (performance.now() - start) / 1000;
      sweeping = false;
      await probing;
      probes.sort((x, y) => x - y);
      const serverMs = ((cpuSeconds(child.pid!) - serverCpu0) * 1000) / tiles.length;
      const mainMs = ((cpuSeconds(child.pid!, true) - mainCpu0) * 1000) / tiles.length;
      const client = process.cpuUsage(clientCpu0);
      const clientMs = (client.user + client.system) / 1000 / tiles.length;
      latencies.sort((x, y) => x - y);
      process.stdout.write(`${label.padEnd(28)} ${(tiles.length / wallS).toFixed(0).padStart(6)} tiles/s   p50 ${percentile(latencies, 50).toFixed(1).padStart(6)} ms   p99 ${percentile(latencies, 99).toFixed(1).padStart(6)} ms   CPU/tile: server ${serverMs.toFixed(1)} ms (event loop ${mainMs.toFixed(1)}), bench client ${clientMs.toFixed(1)} ms   (${images} images, ${empty} empty, ${(bytes / 1e6).toFixed(1)} MB)\n`);
      process.stdout.write(`${''.padEnd(28)} meanwhile GET /v1/op: p50 ${percentile(probes, 50).toFixed(1)} ms, p99 ${percentile(probes, 99).toFixed(1)} ms, max ${probes[probes.length - 1]!.toFixed(1)} ms (${probes.length} calls)\n`);
      process.stdout.write(`${''.padEnd(28)} where the time went (Server-Timing), ${stageBreakdown(timed)}\n`);
      if (process.env.BENCH_BY_ZOOM) {
        const parts = [...byZoom].sort((x, y) => x[0] - y[0]).map(([z, l]) => `z${z} ×${l.length}: ${percentile(l.sort((x, y) => x - y), 50).toFixed(0)}/${percentile(l, 99).toFixed(0)}`);
        process.stdout.write(`${''.padEnd(28)} p50/p99 ms by zoom: ${parts.join(', ')}\n`);
      }
      rates.set(label, tiles.length / wallS);
      serverCpu.set(label, serverMs);
    };
    const rates = new Map<string, number>();
    const serverCpu = new Map<string, number>();
    // A server that has been up a while has its code compiled by the JIT: the first sweep draws the same
    // tiles of the area's own mosaic (another file), so the job's sweep after it starts with cold caches
    // but a warm process. The first sweep's figures show what a freshly started process does.
    const areaJson = await (await fetch(`${url}/v1/tiles/areas/${encodeURIComponent(area.id)}/${encodeURIComponent(mosaic)}/tilejson.json`, { headers: { authorization: `Bearer ${key}` } })).json() as Record<string, Record<string, string>>;
    await sweep('area tiles (fresh process)', concurrency, areaJson[templates]![format]!);
    await sweep('geopera tiles (cold caches)');
    // The same URLs again: answered from the encoded-tile cache when the sweep's bodies fit in it.
    await sweep('geopera tiles (warm caches)');
    // A browser fetches at most 6 tiles at once from one HTTP/1.1 host: the latency a map user sees, here
    // for tiles the cache kept (before the sweeps below fill it with other URLs).
    await sweep('6 in flight, cached', 6);
    // New URLs of the same tiles (a query naming a default: the same pixels, another cache key): renders
    // from warm decoded-tile caches, what a map user panning to tiles nobody asked for yet waits for.
    const render = info.render as { resampling: string; bidx: number[] };
    const fresh = (query: string): string => `${template}${template.includes('?') ? '&' : '?'}${query}`;
    await sweep('geopera tiles (warm, rendered)', concurrency, fresh(`resampling=${render.resampling}`));
    // 6 in flight again, every tile rendered: the target's figure.
    await sweep('geopera tiles (6 in flight)', 6, fresh(`bidx=${render.bidx.join(',')}`));

    const bodies: Buffer[] = [];
    await pool(tiles, concurrency, async (t) => {
      const res = await get(tileUrlOf(template, t));
      if (res.status === 200) bodies.push(res.body);
    });

    // The limit: sharp encoding the same tiles alone (decoded first, untimed), same settings, same concurrency.
    // Raw pixels with the channels each tile was encoded with (RGB when opaque, RGBA otherwise).
    const raws = await Promise.all(bodies.map((b) => sharp(b).raw().toBuffer({ resolveWithObject: true })));
    const encodeOnly = async (label: string, encode: (data: Buffer, width: number, height: number, channels: number) => Promise<unknown>): Promise<{ rate: number; ms: number }> => {
      const cpu0 = process.cpuUsage();
      const start = performance.now();
      await pool(raws, concurrency, async ({ data, info: i }) => {
        await encode(data, i.width, i.height, i.channels);
      });
      const rate = raws.length / ((performance.now() - start) / 1000);
      const cpu = process.cpuUsage(cpu0);
      const ms = (cpu.user + cpu.system) / 1000 / raws.length;
      process.stdout.write(`${label.padEnd(28)} ${rate.toFixed(0).padStart(6)} tiles/s   CPU/tile ${ms.toFixed(1)} ms   (${raws.length} images)\n`);
      return { rate, ms };
    };
    const viaSharp = await encodeOnly('sharp encoding alone', (data, width, height, channels) => {
      const img = sharp(data, { raw: { width, height, channels: channels as 3 | 4 } });
      return (format === 'png' ? img.png(EncodeSettings.png) : format === 'webp' ? img.webp(EncodeSettings.webp) : img.flatten().jpeg(EncodeSettings.jpg)).toBuffer();
    });
    // The server's own encoder: geopera's codec addon (PNG; JPEG of opaque tiles), when it is built.
    const codecs = nativeCodecs;
    const viaAddon =
      codecs && format === 'png'
        ? await encodeOnly('addon encoding alone', (data, width, height, channels) => codecs.pngEncode(data, width, height, channels as 3 | 4, NativePng.level, NativePng.filter))
        : null;
    // The HTTP floor: a bare node:http server answering the same sizes to the same client.
    const bare = await bareHttpCost(bodies.map((b) => b.length), concurrency);
    process.stdout.write(`${'bare node:http, same sizes'.padEnd(28)} ${bare.rate.toFixed(0).padStart(6)} req/s     CPU/request: server ${bare.serverMs.toFixed(2)} ms, bench client ${bare.clientMs.toFixed(2)} ms\n`);
    // The CPU ratio is steadier than the rate ratio on a shared machine, and says what the rate ratio
    // would be with the map clients on other machines (here the bench client takes some of the two cores).
    for (const label of ['geopera tiles (cold caches)', 'geopera tiles (warm caches)', 'geopera tiles (warm, rendered)']) {
      const rate = rates.get(label)!;
      const against = (ref: { rate: number; ms: number }, name: string): string =>
        `${((100 * rate) / ref.rate).toFixed(0)} % of ${name} encode-only rate, CPU per tile ${((100 * ref.ms) / serverCpu.get(label)!).toFixed(0)} % efficient`;
      process.stdout.write(`${label}: ${against(viaSharp, "sharp's")}${viaAddon ? `; ${against(viaAddon, "the addon's")}` : ''} (encode alone ÷ server)\n`);
    }
    // A server sharing these two cores with this client pays the encode, the HTTP floor and the client per tile.
    const floorMs = (viaAddon ?? viaSharp).ms;
    process.stdout.write(`with no render cost at all, a server beside this client would reach ${((100 * floorMs) / (floorMs + bare.serverMs + bare.clientMs)).toFixed(0)} % of ${viaAddon ? "the addon's" : "sharp's"} encode-only rate (encode ÷ (encode + bare HTTP server + client))\n`);
  } finally {
    agent.destroy();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await store?.deletePrefix('');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (!existsSync(areaDir)) throw new Error(`no areas at ${areaDir}`);
await main();

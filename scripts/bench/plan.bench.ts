/**
 * `npm run bench:plan` (and the first part of `npm run bench`): CPU time of the pure planning steps
 * whose growth the tests bound by counting work (segment pairs, edge visits): AOI validation of
 * 10 000-vertex outlines, streaming a 100 000-vertex circle over 20 000 rows, planning a 16384² clip,
 * and the 2x2 overview downsampler's throughput. The tests hold the correctness; this holds the speed.
 */
import { parseAoi } from '../../src/raster/aoi/aoi.parse.js';
import type { Ring } from '../../src/raster/aoi/aoi.types.js';
import { planClip, planSummary } from '../../src/raster/plan/clip.plan.js';
import { downsample2x } from '../../src/raster/plan/downsample.js';
import { SpanScanner, spanCoverage } from '../../src/raster/plan/mask.spans.js';
import { rng, starRing } from '../../test/raster/plan/polygon.fixtures.js';

/** Median CPU milliseconds of `fn` over `runs` runs after one warm-up run. */
function cpuMs(fn: () => void, runs = 5): number {
  fn();
  const times: number[] = [];
  for (let k = 0; k < runs; k++) {
    const c0 = process.cpuUsage();
    fn();
    const c = process.cpuUsage(c0);
    times.push((c.user + c.system) / 1000);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

const row = (what: string, value: string): void => void process.stdout.write(`${what.padEnd(66)} ${value}\n`);

function circle(n: number, cx: number, cy: number, r: number): Ring {
  const ring: Ring = [];
  for (let k = 0; k < n; k++) ring.push([cx + r * Math.cos((2 * Math.PI * k) / n), cy + r * Math.sin((2 * Math.PI * k) / n)]);
  ring.push([...ring[0]!]);
  return ring;
}

const r = rng(8);
const wobbly: Ring = [];
for (let k = 0; k < 9_999; k++) {
  const a = (2 * Math.PI * k) / 9_999;
  const rad = 1 + 0.3 * Math.sin(7 * a) + 0.1 * Math.sin(53 * a) + 0.002 * r();
  wobbly.push([174 + rad * Math.cos(a), -41 + rad * Math.sin(a)]);
}
wobbly.push([...wobbly[0]!]);
const comb: Ring = [[0, 0]];
for (let k = 0; k < 2_499; k++) comb.push([10, k * 0.01], [10, k * 0.01 + 0.005], [0.1, k * 0.01 + 0.005], [0.1, (k + 1) * 0.01]);
comb.push([0, 2_499 * 0.01], [0, 0]);
const spiky = starRing(rng(3), 170, -40, 0.5, 1, 9_999);
for (const [name, ring] of [['wobbly outline', wobbly], ['comb of 2 500 teeth', comb], ['spiky random star', spiky]] as const) {
  row(`parseAoi, 10 000 vertices, ${name}`, `${cpuMs(() => void parseAoi({ type: 'Polygon', coordinates: [ring] })).toFixed(1)} ms CPU`);
}

const big = circle(100_000, 10_000, 10_000, 9_000);
row('SpanScanner, 100 000-vertex circle over 20 000 rows', `${cpuMs(() => {
  const s = new SpanScanner([[big]], { width: 20_000, height: 20_000 });
  let inside = 0;
  for (let y = 0; y < 20_000; y++) inside += spanCoverage(s.row(y), 0, 20_000);
  if (inside === 0) throw new Error('empty');
}, 3).toFixed(1)} ms CPU`);

const planRing = circle(2000, 8192, 8192, 6000);
row('planClip + planSummary, 16384² raster, 512² tiles, 2 000 vertices', `${cpuMs(() => {
  const plan = planClip({ width: 16384, height: 16384, tileWidth: 512, tileHeight: 512, polygons: [[planRing]] });
  if (!plan || planSummary(plan).inside === 0) throw new Error('empty plan');
}, 3).toFixed(1)} ms CPU`);

const [w, h] = [4096, 1024];
const src = new Uint8Array(w * h * 3);
const rs = rng(5);
for (let i = 0; i < src.length; i++) src[i] = (rs() * 256) | 0;
const mask = Uint8Array.from({ length: w * h }, (_, i) => ((i >> 7) % 3 === 0 ? 0 : 255));
const mb = src.length / 1e6;
for (const [name, opts] of [['average', { method: 'average' }], ['average + mask', { method: 'average', mask }], ['nearest + mask', { method: 'nearest', mask }]] as const) {
  const ms = cpuMs(() => void downsample2x(src, w, h, 3, opts));
  row(`downsample2x 4096x1024 RGB uint8, ${name}`, `${(mb / (ms / 1000)).toFixed(0)} MB/s`);
}

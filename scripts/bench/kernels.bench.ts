/**
 * `npm run bench:kernels`: the WebAssembly SIMD kernels against their JavaScript twins, in process,
 * alternating (each pair measured twice): a 256² map tile's bilinear resampling (2x2 kernel at 1:1 and
 * magnified, triangle kernel, and a window at an AOI's edge), RGBA to RGB packing of a 256² tile, and the clip overviews' masked 2x2
 * average (ms per 512² tile of a 2048 x 512 row with a disc-shaped mask).
 */
import { downsample2x } from '../../src/raster/plan/downsample.js';
import { useAverageSimd } from '../../src/raster/plan/downsample.u8.js';
import { packRgb, usePackSimd } from '../../src/tiles/rgb.pack.js';
import { byteMapping } from '../../src/tiles/tile.colour.js';
import { resampleRgb } from '../../src/tiles/tile.resample.rgb.js';
import { useSimdKernel } from '../../src/tiles/tile.resample.rgb8.js';
import { planRows } from '../../src/tiles/warp.plan.js';

/** Mean ms of `n` calls after `n / 5` untimed ones. */
function time(n: number, f: () => void): number {
  for (let k = 0; k < n / 5; k++) f();
  const t = performance.now();
  for (let k = 0; k < n; k++) f();
  return (performance.now() - t) / n;
}

function pairs(label: string, use: (on: boolean) => void, n: number, f: () => void, unit = 'ms', scale = 1, digits = 3): void {
  const ms: Record<string, number[]> = { simd: [], js: [] };
  for (const on of [true, false, true, false]) {
    use(on);
    ms[on ? 'simd' : 'js']!.push(time(n, f) * scale);
  }
  use(true);
  const f2 = (v: number[]): string => v.map((x) => x.toFixed(digits)).join(' / ');
  process.stdout.write(`${label.padEnd(50)} SIMD ${f2(ms.simd!)} ${unit}   JavaScript ${f2(ms.js!)} ${unit}\n`);
}

const size = 256;
for (const [ratio, edge] of [[1, false], [0.125, false], [1.3, false], [1, true]] as const) {
  const w = Math.ceil(size * ratio) + 4;
  const data = new Uint8Array(w * w * 3).map((_, i) => (Math.imul(i, 2654435761) >>> 24));
  // At an AOI's edge: the window's pixels valid inside a disc.
  const valid = edge ? Uint8Array.from({ length: w * w }, (_, i) => (Math.hypot((i % w) - w * 0.3, Math.floor(i / w) - w * 0.6) < w * 0.5 ? 1 : 0)) : null;
  const win = { data, width: w, height: w, bands: 3, x0: 0, y0: 0, valid };
  const cols = new Float64Array(size * size);
  const rows = new Float64Array(size * size);
  for (let j = 0; j < size; j++) for (let i = 0; i < size; i++) [cols[j * size + i], rows[j * size + i]] = [1.1 + ratio * (i + 0.5), 1.1 + ratio * (j + 0.5)];
  const plan = { size, cols, rows };
  const axes = { xs: cols.slice(0, size), ys: Float64Array.from({ length: size }, (_, j) => rows[j * size]!) };
  const opts = { bands: [0, 1, 2], method: 'bilinear' as const, levelScale: [1, 1] as [number, number], ratio: [ratio, ratio] as [number, number] };
  const map = byteMapping({ rescale: null });
  const rgba = new Uint8Array(size * size * 4);
  const kernel = ratio > 1 / 0.95 ? 'triangle kernel' : '2x2 kernel';
  pairs(`resample a 256² tile, ${kernel}, ratio ${ratio}${edge ? ', AOI edge' : ''}`, useSimdKernel, 400, () => resampleRgb(win, size, planRows(plan), opts, map, rgba.fill(0), axes));
}

const rgba = new Uint8Array(size * size * 4).map((_, i) => i * 7);
const rgb = new Uint8Array(size * size * 3);
pairs('pack a 256² tile RGBA to RGB', usePackSimd, 2000, () => packRgb(rgba, rgb), 'µs', 1000, 1);

const [w, h] = [2048, 512];
const src = new Uint8Array(w * h * 3).map((_, i) => Math.imul(i, 2654435761) >>> 24);
const mask = new Uint8Array(w * h).map((_, i) => (Math.hypot((i % w) - 900, Math.floor(i / w) - 300) < 700 ? 255 : 0));
pairs('masked 2x2 average, per 512² RGB tile', useAverageSimd, 100, () => downsample2x(src, w, h, 3, { method: 'average', mask }), 'ms', 0.25);

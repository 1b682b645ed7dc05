import { downsample2x } from './src/raster/plan/downsample.js';
const w = 4096, h = 1024;
const src = new Uint8Array(w * h * 3);
for (let i = 0; i < src.length; i++) src[i] = (Math.random() * 256) | 0;
const mask = Uint8Array.from({ length: w * h }, (_, i) => ((i >> 7) % 3 === 0 ? 0 : 255));
// make it polymorphic first
for (const C of [Int16Array, Float32Array, Uint16Array, Int32Array, Float64Array]) downsample2x(new C(64 * 64 * 2), 64, 64, 2, { method: 'average' });
for (const opts of [{ method: 'average' as const }, { method: 'average' as const, mask }, { method: 'nearest' as const, mask }]) {
  downsample2x(src, w, h, 3, opts);
  const best = [];
  for (let k = 0; k < 8; k++) { const t0 = performance.now(); downsample2x(src, w, h, 3, opts); best.push(performance.now() - t0); }
  best.sort((a, b) => a - b);
  console.log(opts.method, !!('mask' in opts), (src.length / 1e6 / (best[0]! / 1000)).toFixed(0), 'MB/s best;', (src.length / 1e6 / (best[4]! / 1000)).toFixed(0), 'median');
}

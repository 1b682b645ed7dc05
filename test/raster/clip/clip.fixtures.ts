/** AOIs made from a raster's WGS84 footprint, for clip tests: a polygon with a hole, two parts, or one part outside. */
import type { GdalInfo } from '../../support/gdal.js';
import type { DataType } from '../../../src/raster/raster.types.js';

type Pos = [number, number];

function box(cx: number, cy: number, hw: number, hh: number, wobble = 0): Pos[] {
  return [[cx - hw, cy - hh], [cx + hw, cy - hh + wobble], [cx + hw - wobble, cy + hh], [cx - hw, cy + hh - wobble], [cx - hw, cy - hh]];
}

/** An AOI over the footprint reported by `gdalinfo -json` (`wgs84Extent`). */
export function aoiFor(info: GdalInfo & { wgs84Extent?: { coordinates: Pos[][] } }, shape: 'hole' | 'multi' | 'partly-outside'): Record<string, unknown> {
  const ring = info.wgs84Extent!.coordinates[0]!;
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of ring) { w = Math.min(w, x); e = Math.max(e, x); s = Math.min(s, y); n = Math.max(n, y); }
  const cx = (w + e) / 2;
  const cy = (s + n) / 2;
  const dx = (e - w) / 2;
  const dy = (n - s) / 2;
  if (shape === 'multi') {
    return { type: 'MultiPolygon', coordinates: [[box(cx - dx * 0.45, cy, dx * 0.3, dy * 0.35, dx * 0.05)], [box(cx + dx * 0.45, cy + dy * 0.3, dx * 0.25, dy * 0.25)]] };
  }
  if (shape === 'partly-outside') {
    return { type: 'Feature', properties: { name: 'edge' }, geometry: { type: 'Polygon', coordinates: [box(w + dx * 0.1, cy, dx * 0.4, dy * 0.45, dx * 0.07)] } };
  }
  return { type: 'Polygon', coordinates: [box(cx, cy, dx * 0.55, dy * 0.5, dx * 0.08), box(cx, cy, dx * 0.12, dy * 0.1).reverse()] };
}

/** A typed view of GDAL's little-endian pixel bytes. */
export function typedView(bytes: Buffer, type: DataType | 'alpha'): ArrayLike<number> {
  const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  switch (type) {
    case 'uint8': case 'alpha': return new Uint8Array(ab);
    case 'int8': return new Int8Array(ab);
    case 'uint16': return new Uint16Array(ab);
    case 'int16': return new Int16Array(ab);
    case 'uint32': return new Uint32Array(ab);
    case 'int32': return new Int32Array(ab);
    case 'float32': return new Float32Array(ab);
    case 'float64': return new Float64Array(ab);
  }
}

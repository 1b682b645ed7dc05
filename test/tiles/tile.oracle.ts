/**
 * GDAL as the oracle for map tiles: `gdalwarp -t_srs EPSG:3857 -te <tile bounds> -ts N N -r bilinear -dstalpha`
 * of the same COG, read back through GDAL's Python bindings, and PSNR between two tiles over the
 * pixels both hold.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gdalOracle } from '../support/gdal.oracle.js';
import { tileBounds, type TileAddress } from '../../src/tiles/tile.grid.js';

/** A GDAL-warped tile: every band's values (as floats, pixel-interleaved) and its alpha (0..1). */
export interface GdalTile {
  bands: number;
  values: Float64Array;
  alpha: Float64Array;
}

const typedFor: Record<string, (b: Buffer) => ArrayLike<number>> = {
  Byte: (b) => new Uint8Array(b.buffer, b.byteOffset, b.length),
  UInt16: (b) => new Uint16Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length)),
  Int16: (b) => new Int16Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length)),
  Float32: (b) => new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length)),
  Float64: (b) => new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length)),
};

/** Warp `file` onto tile `t` with GDAL (`resampling` bilinear by default). */
export async function gdalTile(file: string, t: TileAddress, size = 256, resampling = 'bilinear', extra: string[] = []): Promise<GdalTile> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'geopera-tile-oracle-'));
  const gdal = gdalOracle();
  try {
    const out = path.join(dir, 'tile.tif');
    const b = tileBounds(t);
    await gdal.warp(file, out, ['-t_srs', 'EPSG:3857', '-te', ...b.map((v) => v.toFixed(6)), '-ts', String(size), String(size), '-r', resampling, '-dstalpha', '-of', 'GTiff', ...extra]);
    const info = await gdal.info(out);
    const type = info.bands[0]!.type;
    const nb = info.bands.length;
    const raw = typedFor[type]!((await gdal.pixels([{ file: out }]))[0]!);
    const alphaMax = type === 'UInt16' ? 65535 : type === 'Int16' ? 32767 : 255;
    const n = size * size;
    const values = new Float64Array(n * (nb - 1));
    const alpha = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < nb - 1; k++) values[i * (nb - 1) + k] = raw[i * nb + k]!;
      alpha[i] = raw[i * nb + nb - 1]! / alphaMax;
    }
    return { bands: nb - 1, values, alpha };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Map GDAL's values to bytes the way geopera's rescale does (`[lo, hi]` → 0..255, rounded, clamped). */
export function rescaleBytes(values: Float64Array, lo: number, hi: number): Float64Array {
  return values.map((v) => Math.min(255, Math.max(0, Math.round(((v - lo) * 255) / (hi - lo)))));
}

/** PSNR (dB) of our RGBA bytes against reference values (`bands` per pixel, 0..255 scale) over pixels both hold fully. */
export function psnr(rgba: Uint8Array, ref: Float64Array, refBands: number, refAlpha: Float64Array): { psnr: number; compared: number } {
  let se = 0;
  let count = 0;
  const n = refAlpha.length;
  for (let i = 0; i < n; i++) {
    if (rgba[i * 4 + 3] !== 255 || refAlpha[i]! < 0.999 || Number.isNaN(ref[i * refBands]!)) continue;
    for (let k = 0; k < 3; k++) {
      const d = rgba[i * 4 + k]! - ref[i * refBands + Math.min(k, refBands - 1)]!;
      se += d * d;
    }
    count++;
  }
  const mse = se / Math.max(1, count * 3);
  return { psnr: mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse), compared: count };
}

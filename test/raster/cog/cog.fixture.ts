/**
 * Test helpers for the COG writer: synthetic images, cutting them into padded tiles, writing a COG
 * from whole-level images through our encoders, PSNR, and a small TIFF structure reader (our own,
 * independent of the writer) for layout assertions and for lifting raw tiles out of GDAL-made COGs.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CogWriter } from '../../../src/raster/cog/cog.writer.js';
import type { CogResult } from '../../../src/raster/cog/cog.writer.js';
import type { CogSpec } from '../../../src/raster/cog/cog.spec.js';
import { encodeMaskTile, encodeTile } from '../../../src/raster/encode/tile.encode.js';
import type { TileEncodeSpec } from '../../../src/raster/encode/tile.encode.js';
import { allocPixels } from '../../../src/raster/decode/pixel.array.js';
import type { DataType, PixelArray } from '../../../src/raster/raster.types.js';

/** A fresh temp directory. */
export function tempDir(prefix = 'geopera-cog-'): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

/**
 * A smooth but non-trivial pixel-interleaved image (gradients and waves, distinct per band and seed),
 * spanning a good part of the type's range; smooth enough for lossy codecs to reach 35 dB.
 */
export function synthImage(width: number, height: number, bands: number, dataType: DataType, seed = 0): PixelArray {
  const out = allocPixels(dataType, width * height * bands);
  const range: Record<DataType, [number, number]> = {
    uint8: [0, 255],
    int8: [-128, 127],
    uint16: [0, 12000],
    int16: [-9000, 9000],
    uint32: [0, 4e6],
    int32: [-4e6, 4e6],
    float32: [-500, 500],
    float64: [-1e5, 1e5],
  };
  const [lo, hi] = range[dataType];
  const isInt = !dataType.startsWith('float');
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let b = 0; b < bands; b++) {
        const t = 0.5 + 0.25 * Math.sin((x + seed * 13) / (23 + b * 7)) + 0.2 * Math.cos((y - seed * 7) / (31 + b * 5)) + 0.05 * Math.sin((x + y) / 5);
        const v = lo + Math.min(1, Math.max(0, t)) * (hi - lo);
        out[(y * width + x) * bands + b] = isInt ? Math.round(v) : v;
      }
    }
  }
  return out;
}

/** A byte mask (255 valid, 0 invalid): a disc centred on the image, radius a fraction of the short side. */
export function discMask(width: number, height: number, fraction = 0.45): Uint8Array {
  const m = new Uint8Array(width * height);
  const r = Math.min(width, height) * fraction;
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) m[y * width + x] = (x + 0.5 - width / 2) ** 2 + (y + 0.5 - height / 2) ** 2 < r * r ? 255 : 0;
  return m;
}

/** The tile (tx, ty) of an image, full tile size, zero-padded beyond the image edge. */
export function cutTile<T extends PixelArray>(img: T, width: number, height: number, bands: number, tx: number, ty: number, tw: number, th: number): T {
  const out = new (img.constructor as new (n: number) => T)(tw * th * bands);
  const x0 = tx * tw;
  const y0 = ty * th;
  const cols = Math.min(tw, width - x0);
  for (let y = 0; y < th && y0 + y < height; y++) {
    const src = ((y0 + y) * width + x0) * bands;
    out.set(img.subarray(src, src + cols * bands) as never, y * tw * bands);
  }
  return out;
}

/** Options for `writeCog`. */
export interface WriteCogOptions {
  /** Whole-level byte masks, one per level (with `spec.hasMask`) */
  masks?: Uint8Array[];
  /** Encoder settings beyond the spec's (quality, lossless) */
  encode?: Partial<TileEncodeSpec>;
  /** Tiles to leave sparse */
  skip?: (level: number, tx: number, ty: number) => boolean;
  /** Write order: row-major level 0 first (default), or everything reversed and levels interleaved */
  order?: 'forward' | 'scrambled';
  /** Raw tile bytes to use instead of encoding (passthrough), or undefined to encode */
  raw?: (level: number, tx: number, ty: number) => Uint8Array | undefined;
  /** Raw mask tile bytes to use instead of encoding the mask (passthrough), or undefined to encode */
  rawMask?: (level: number, tx: number, ty: number) => Uint8Array | undefined;
}

/** Encode whole-level images into tiles and write them as a COG; returns the final path and result. */
export async function writeCog(dir: string, name: string, spec: CogSpec, images: PixelArray[], opts: WriteCogOptions = {}): Promise<{ file: string; result: CogResult }> {
  const file = path.join(dir, name);
  const writer = await CogWriter.create(`${file}.tmp`, spec);
  const jobs: [number, number, number][] = [];
  spec.levels.forEach((lvl, l) => {
    for (let ty = 0; ty < Math.ceil(lvl.height / spec.tileHeight); ty++) for (let tx = 0; tx < Math.ceil(lvl.width / spec.tileWidth); tx++) jobs.push([l, tx, ty]);
  });
  if (opts.order === 'scrambled') {
    // Deterministic Fisher-Yates with a small LCG: levels interleaved, tiles out of row-major order.
    let s = 12345;
    for (let i = jobs.length - 1; i > 0; i--) {
      s = (s * 1103515245 + 12345) % 2147483648;
      const j = s % (i + 1);
      [jobs[i], jobs[j]] = [jobs[j]!, jobs[i]!];
    }
  }
  const tileSpec: TileEncodeSpec = {
    width: spec.tileWidth,
    height: spec.tileHeight,
    bands: spec.bands,
    dataType: spec.dataType,
    compression: spec.compression,
    predictor: spec.predictor,
    photometric: spec.photometric,
    ...(spec.ycbcrSubsampling ? { ycbcrSubsampling: spec.ycbcrSubsampling } : {}),
    ...opts.encode,
  };
  for (const [l, tx, ty] of jobs) {
    if (opts.skip?.(l, tx, ty)) continue;
    const { width, height } = spec.levels[l]!;
    const raw = opts.raw?.(l, tx, ty);
    const bytes = raw ?? (await encodeTile(cutTile(images[l]!, width, height, spec.bands, tx, ty, spec.tileWidth, spec.tileHeight), tileSpec));
    const rawMask = opts.rawMask?.(l, tx, ty);
    const mask = rawMask ?? (opts.masks ? await encodeMaskTile(cutTile(opts.masks[l]!, width, height, 1, tx, ty, spec.tileWidth, spec.tileHeight), spec.tileWidth, spec.tileHeight) : null);
    await writer.writeTile(l, tx, ty, bytes, mask);
  }
  const result = await writer.finish(file);
  return { file, result };
}

/** Peak signal-to-noise ratio of two 8-bit sample arrays, in dB (Infinity when equal). */
export function psnr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`PSNR of ${a.length} vs ${b.length} samples`);
  let se = 0;
  for (let i = 0; i < a.length; i++) se += (a[i]! - b[i]!) ** 2;
  return se === 0 ? Infinity : 10 * Math.log10((255 * 255 * a.length) / se);
}

/** Bytes of a typed array (little-endian host). */
export function bytesOf(a: PixelArray): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** One IFD as read back: tag -> values (numbers, or bytes for Undefined/Ascii). */
export interface InspectedIfd {
  offset: number;
  tags: Map<number, number[] | Uint8Array>;
}

/** A TIFF's structure read with plain DataView code: header kind, ghost header text, IFDs in file order. */
export interface InspectedTiff {
  bigTiff: boolean;
  littleEndian: boolean;
  ghost: string;
  ifds: InspectedIfd[];
  bytes: Buffer;
}

/** Read a (Big)TIFF's IFD chain. */
export async function inspectTiff(file: string): Promise<InspectedTiff> {
  const bytes = await readFile(file);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = bytes.toString('latin1', 0, 2) === 'II';
  const big = v.getUint16(2, le) === 43;
  const u64 = (o: number): number => Number(v.getBigUint64(o, le));
  let off = big ? u64(8) : v.getUint32(4, le);
  const ghost = bytes.toString('latin1', big ? 16 : 8, off);
  const size: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 16: 8, 17: 8 };
  const ifds: InspectedIfd[] = [];
  while (off !== 0) {
    const n = big ? u64(off) : v.getUint16(off, le);
    const tags = new Map<number, number[] | Uint8Array>();
    let p = off + (big ? 8 : 2);
    for (let i = 0; i < n; i++, p += big ? 20 : 12) {
      const tag = v.getUint16(p, le);
      const type = v.getUint16(p + 2, le);
      const count = big ? u64(p + 4) : v.getUint32(p + 4, le);
      const inlineAt = p + (big ? 12 : 8);
      const len = count * (size[type] ?? 1);
      const at = len <= (big ? 8 : 4) ? inlineAt : big ? u64(inlineAt) : v.getUint32(inlineAt, le);
      if (type === 1 || type === 2 || type === 7) tags.set(tag, new Uint8Array(bytes.subarray(at, at + len)));
      else {
        const vals: number[] = [];
        for (let k = 0; k < count; k++) {
          if (type === 3) vals.push(v.getUint16(at + k * 2, le));
          else if (type === 4) vals.push(v.getUint32(at + k * 4, le));
          else if (type === 5) vals.push(v.getUint32(at + k * 8, le) / v.getUint32(at + k * 8 + 4, le));
          else if (type === 12) vals.push(v.getFloat64(at + k * 8, le));
          else if (type === 16) vals.push(u64(at + k * 8));
        }
        tags.set(tag, vals);
      }
    }
    ifds.push({ offset: off, tags });
    off = big ? u64(p) : v.getUint32(p, le);
  }
  return { bigTiff: big, littleEndian: le, ghost, ifds, bytes };
}

/** Raw bytes of tile `index` of an inspected IFD (empty when sparse). */
export function rawTile(tiff: InspectedTiff, ifd: InspectedIfd, index: number): Uint8Array {
  const offs = ifd.tags.get(324) as number[];
  const counts = ifd.tags.get(325) as number[];
  return new Uint8Array(tiff.bytes.subarray(offs[index]!, offs[index]! + counts[index]!));
}

/**
 * LERC tiles (Compression 34887) through Esri's `lerc` (wasm, loaded once, offline). LercParameters
 * [version, extra] says whether the LERC blob was further DEFLATE (1) or ZSTD (2) compressed.
 * The blob holds the tile's samples with depth = samples per pixel; pixels its mask marks invalid
 * become NaN for floating-point data, as libtiff's LERC codec does.
 */
import * as Lerc from 'lerc';
import { AppError } from '../../errors/app.error.js';
import type { DataType, PixelArray } from '../raster.types.js';
import { inflateTile } from './codec.deflate.js';
import { zstdDecode } from './codec.zstd.js';
import { allocPixels } from './pixel.array.js';

let loading: Promise<void> | undefined;

/** Load the LERC wasm module (once). */
export function loadLerc(): Promise<void> {
  loading ??= Lerc.load().catch((err: unknown) => {
    loading = undefined;
    throw err;
  });
  return loading;
}

/** What a LERC tile is expected to hold. */
export interface LercTile {
  width: number;
  rows: number;
  /** Most rows a blob may hold (the level's tile height): the decoder allocates for what the blob declares */
  maxRows: number;
  /** Samples per pixel in this plane */
  spp: number;
  dataType: DataType;
  /** LercParameters tag values */
  params: number[] | undefined;
}

const LERC2_MAGIC = 'Lerc2 ';

/**
 * Walk the LERC2 blob headers (one blob per band, concatenated) before the library sees them: it
 * allocates from the declared rows, columns, depth and band count, so a hostile header must not reach
 * it. Header (Lerc2::ReadHeader): magic, int32 version, uint32 checksum (version >= 3), int32 rows,
 * columns, depth (version >= 4), valid pixels, micro block size, blob size, data type.
 */
function checkLerc2Headers(blob: Uint8Array, tile: LercTile, what: string): void {
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const bad = (why: string): AppError => new AppError('invalid_tiff', `${what}: cannot decode the LERC tile (${why})`);
  let samples = 0;
  for (let at = 0; at < blob.length; ) {
    if (blob.length - at < 40 || String.fromCharCode(...blob.subarray(at, at + 6)) !== LERC2_MAGIC) {
      if (at > 0) break; // trailing bytes after the last blob
      throw bad('not a LERC2 blob');
    }
    const version = view.getInt32(at + 6, true);
    const p = at + 10 + (version >= 3 ? 4 : 0);
    const rows = view.getInt32(p, true);
    const cols = view.getInt32(p + 4, true);
    const depth = version >= 4 ? view.getInt32(p + 8, true) : 1;
    const blobSize = view.getInt32(p + (version >= 4 ? 20 : 16), true);
    if (cols !== tile.width || rows < tile.rows || rows > tile.maxRows || depth < 1 || depth > tile.spp) {
      throw bad(`blob is ${cols}x${rows}x${depth}, expected ${tile.width}x${tile.rows}..${tile.maxRows}x${tile.spp}`);
    }
    samples += depth;
    if (samples > tile.spp) throw bad(`blobs hold more than ${tile.spp} samples a pixel`);
    if (blobSize <= 0) break;
    at += blobSize;
  }
}

/** Decode a LERC tile into pixel-interleaved samples of the tile's data type. */
export async function lercDecode(bytes: Uint8Array, tile: LercTile, what: string): Promise<PixelArray> {
  await loadLerc();
  const samples = tile.width * tile.rows * tile.spp;
  const rawBytes = samples * 8;
  // A LERC blob is never much larger than its raw samples; cap the extra decompression there.
  const cap = rawBytes + 65536;
  const extra = tile.params?.[1] ?? 0;
  let blob = bytes;
  if (extra === 1) blob = await inflateTile(bytes, cap, what);
  else if (extra === 2) blob = zstdDecode(bytes, cap, what);
  else if (extra !== 0) throw new AppError('unsupported_compression', `${what}: LERC with additional compression ${extra} is not supported`);
  checkLerc2Headers(blob, tile, what);
  let decoded: Lerc.LercData;
  try {
    const info = Lerc.getBlobInfo(blob);
    if (info.width !== tile.width || info.height < tile.rows || info.height > tile.maxRows || info.depthCount * info.bandCount !== tile.spp) {
      throw new Error(`blob is ${info.width}x${info.height}x${info.depthCount * info.bandCount}, expected ${tile.width}x${tile.rows}..${tile.maxRows}x${tile.spp}`);
    }
    decoded = Lerc.decode(blob, { returnInterleaved: true });
  } catch (err) {
    throw new AppError('invalid_tiff', `${what}: cannot decode the LERC tile (${(err as Error).message})`, { cause: err });
  }
  const out = allocPixels(tile.dataType, samples);
  const pixels = decoded.pixels;
  if (pixels.length === 1) out.set(pixels[0].subarray(0, samples));
  else for (let b = 0; b < pixels.length; b++) for (let i = 0, n = samples / pixels.length; i < n; i++) out[i * pixels.length + b] = pixels[b][i];
  const mask = decoded.mask;
  if (mask && (tile.dataType === 'float32' || tile.dataType === 'float64')) {
    for (let p = 0, n = tile.width * tile.rows; p < n; p++) if (mask[p] === 0) out.fill(NaN, p * tile.spp, (p + 1) * tile.spp);
  }
  return out;
}

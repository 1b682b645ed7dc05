/**
 * A clip thread's warm-up: two small clips of a synthetic mosaic before the thread takes real work. A new
 * thread runs its first clip with code V8 has not optimised yet and with libvips not yet initialised: a
 * 1000 m clip took twice as long as the same clip warm (`npm run bench:first`). The warm-up pays that once,
 * before the server listens, on the same paths a real clip takes: a JPEG YCbCr COG with overviews (the
 * common mosaic), tiles inside the AOI copied as bytes and halved by libjpeg's scaling, boundary tiles
 * decoded, masked and re-encoded, overviews built, a mask written, and the summary with its thumbnail.
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { CogWriter } from '../cog/cog.writer.js';
import type { CogSpec } from '../cog/cog.spec.js';
import { encodeTile, type TileEncodeSpec } from '../encode/tile.encode.js';
import { epsgGeoKeys } from '../geo/crs.geokeys.js';
import { Compression } from '../raster.types.js';
import type { PixelPools } from '../decode/pixel.pool.js';
import { clipToCog } from './clip.run.js';

/** The synthetic mosaic: Web Mercator, 1 m pixels, 512² tiles; 2048² with two overviews. */
const Size = 2048;
const Tile = 512;
const Origin = { x: 1_000_000, y: 6_000_000 };
/**
 * The AOI: a 24-gon of this radius (m) about the centre, the four centre tiles wholly inside it; off the
 * pixel grid by fractions of a pixel, so that no edge runs through pixel centres (where rasterizers may
 * break ties differently).
 */
const Radius = 801.3;
const Offset = { x: 0.27, y: -0.41 };
/** Clips of the mosaic: V8 optimises a function after enough calls, and one clip of 16 tiles is not enough for all. */
const Rounds = 2;

/** What a warm-up clip worked on (the clip's own tile counts). */
export interface WarmUpResult {
  tiles: Record<string, number>;
  overviews: number;
}

/** Writes the synthetic mosaic to `file`: smooth gradients with a texture, so JPEG has real work. */
export async function writeWarmUpMosaic(file: string): Promise<void> {
  const levels = [Size, Size / 2, Size / 4].map((s) => ({ width: s, height: s }));
  const spec: CogSpec = {
    levels, tileWidth: Tile, tileHeight: Tile, bands: 3, dataType: 'uint8', compression: Compression.Jpeg, predictor: 1,
    photometric: 6, extraSamples: [], nodata: null, hasMask: false,
    geo: { transform: [Origin.x, 1, 0, Origin.y, 0, -1], geoKeyDirectory: epsgGeoKeys({ epsg: 3857, geographic: false }, false) },
  };
  const enc: TileEncodeSpec = { width: Tile, height: Tile, bands: 3, dataType: 'uint8', compression: Compression.Jpeg, predictor: 1, photometric: 6 };
  // As GDAL writes JPEG: the quantization tables once, in JPEGTables; the tiles without them.
  const first = await encodeTile(tilePixels(0, 0, 1), enc);
  spec.jpegTables = jpegTablesOf(first);
  const writer = await CogWriter.create(`${file}.tmp`, spec);
  try {
    for (let l = 0; l < levels.length; l++) {
      const scale = 2 ** l;
      const across = levels[l]!.width / Tile;
      for (let ty = 0; ty < across; ty++) {
        for (let tx = 0; tx < across; tx++) await writer.writeTile(l, tx, ty, withoutTables(await encodeTile(tilePixels(tx * Tile * scale, ty * Tile * scale, scale), enc)));
      }
    }
    await writer.finish(file);
  } catch (err) {
    await writer.abort();
    throw err;
  }
}

/** JPEG marker segments before the scan: [marker, start, end) of each (SOI excluded). */
function segments(jpeg: Uint8Array): { marker: number; start: number; end: number }[] {
  const out: { marker: number; start: number; end: number }[] = [];
  for (let at = 2; at + 4 <= jpeg.length && jpeg[at] === 0xff;) {
    const marker = jpeg[at + 1]!;
    const end = at + 2 + ((jpeg[at + 2]! << 8) | jpeg[at + 3]!);
    out.push({ marker, start: at, end });
    if (marker === 0xda) break; // SOS: the entropy-coded data follows
    at = end;
  }
  return out;
}

const DQT = 0xdb;

/** A JPEGTables value: SOI, the stream's quantization tables, EOI. */
function jpegTablesOf(jpeg: Uint8Array): Uint8Array {
  const dqt = segments(jpeg).filter((s) => s.marker === DQT).map((s) => jpeg.subarray(s.start, s.end));
  return Uint8Array.from([0xff, 0xd8, ...dqt.flatMap((d) => [...d]), 0xff, 0xd9]);
}

/** The stream without its quantization tables (an abbreviated stream, read with JPEGTables). */
function withoutTables(jpeg: Uint8Array): Uint8Array {
  const parts = [jpeg.subarray(0, 2)];
  let at = 2;
  for (const s of segments(jpeg)) {
    if (s.marker === DQT) {
      parts.push(jpeg.subarray(at, s.start));
      at = s.end;
    }
  }
  parts.push(jpeg.subarray(at));
  return Buffer.concat(parts.filter((p) => p.length > 0));
}

/** One tile of the synthetic image at `scale` (level-0 pixels a pixel), its top left at level-0 pixel (x0, y0). */
function tilePixels(x0: number, y0: number, scale: number): Uint8Array {
  const px = new Uint8Array(Tile * Tile * 3);
  for (let r = 0, i = 0; r < Tile; r++) {
    const y = y0 + r * scale;
    for (let c = 0; c < Tile; c++, i += 3) {
      const x = x0 + c * scale;
      const texture = ((x * 7) ^ (y * 13)) & 31;
      px[i] = (x >> 3) + texture;
      px[i + 1] = (y >> 3) + texture;
      px[i + 2] = ((x + y) >> 4) + texture;
    }
  }
  return px;
}

/** The AOI as a user sends it: a WGS84 polygon (Web Mercator's inverse on the sphere). */
export function warmUpAoi(): { type: 'Polygon'; coordinates: number[][][] } {
  const R = 6378137;
  const cx = Origin.x + Size / 2 + Offset.x;
  const cy = Origin.y - Size / 2 + Offset.y;
  const ring: number[][] = [];
  for (let k = 0; k <= 24; k++) {
    const a = ((k % 24) / 24) * 2 * Math.PI;
    const x = cx + Radius * Math.cos(a);
    const y = cy + Radius * Math.sin(a);
    ring.push([(x / R) * (180 / Math.PI), (2 * Math.atan(Math.exp(y / R)) - Math.PI / 2) * (180 / Math.PI)]);
  }
  return { type: 'Polygon', coordinates: [ring] };
}

/**
 * Writes the synthetic mosaic into `dir` (emptied first, removed afterwards) and clips it `Rounds` times,
 * on the thread's tile buffer pools when given (its first clip then finds buffers of a 512² RGB tile).
 */
export async function warmUpClip(dir: string, pools?: PixelPools): Promise<WarmUpResult> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  try {
    const mosaic = path.join(dir, 'mosaic.tif');
    await writeWarmUpMosaic(mosaic);
    const opts = { summary: true, ...(pools ? { pools } : {}) };
    let result = await clipToCog(mosaic, warmUpAoi(), path.join(dir, 'clip.tif'), opts);
    for (let round = 1; round < Rounds; round++) result = await clipToCog(mosaic, warmUpAoi(), path.join(dir, 'clip.tif'), opts);
    return { tiles: result.info.tiles as Record<string, number>, overviews: result.info.overview_count as number };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

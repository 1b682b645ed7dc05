/**
 * `clipSourceToCog(source, aoi, output)`: clip a GeoTIFF to an AOI as a COG on the source's own grid.
 * The source is any `Source` (a local file, an object in a bucket): the clip never knows which.
 * Inside tiles are copied as compressed bytes (passthrough) when the format allows; boundary tiles are
 * decoded, masked and re-encoded; outside tiles stay sparse. Overviews stream from tile rows
 * (pyramid.ts), so memory is one tile row per level whatever the AOI's size.
 */
import { randomBytes } from 'node:crypto';
import { AppError } from '../../errors/app.error.js';
import { parseAoi } from '../aoi/aoi.parse.js';
import { projectAoi, toPixelSpace } from '../aoi/aoi.project.js';
import { CogWriter } from '../cog/cog.writer.js';
import { allocPixels } from '../decode/pixel.array.js';
import { allValidMaskTile, encodeMaskTile, encodeTile, type TileEncodeSpec } from '../encode/tile.encode.js';
import { planClip, planRows, type ClipPlan } from '../plan/clip.plan.js';
import { planOverviews } from '../plan/overview.plan.js';
import { gdalCompatFor } from '../plan/mask.spans.js';
import { readRasterInfo } from '../read/raster.open.js';
import { FileSource, type Source } from '../read/source.js';
import { Compression, type GeoTransform, type PixelArray, type RasterInfo } from '../raster.types.js';
import { readTileBytes } from '../read/tile.reader.js';
import { allValid, halfFromJpeg, halfFromPixels, type HalfTile } from './tile.half.js';
import { readOutputTile } from './output.tile.read.js';
import { clipStats, renderDefaultsOf } from './clip.stats.js';
import { alphaBand, chooseOutputFormat, usableNodata, type OutputFormat } from './output.format.js';
import { Pyramid } from './pyramid.js';
import { timed, timedSync, type StageClock, type StageTimes } from './stage.clock.js';
import { clipToExtent, cutMask, cutTile, fillInvalid, fillInvalidBlocks, putMask, putTile } from './tile.cut.js';

export interface ClipOptions {
  /** Called after each full-resolution tile row: tiles done, tiles in all */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  /** Output compression (TIFF code); default: the source's own when it can be encoded, else DEFLATE */
  compression?: number;
  /** Tiles worked on at once (default 8); 1 makes a stage clock's sums a serial breakdown */
  concurrency?: number;
  /** Adds each stage's time (profiles; see stage.clock.ts) */
  clock?: StageClock;
}

export interface ClipResult {
  size: number;
  sha256: string;
  info: Record<string, unknown>;
  renderDefaults: Record<string, unknown>;
  /** The clock's stage times, when a clock was given */
  stages?: StageTimes;
}

/** Tiles decoded/encoded at once within a row (sharp and zlib run on libuv's thread pool). */
const RowConcurrency = 8;

async function mapLimit<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  }));
  return out;
}

function shiftTransform(t: GeoTransform, x: number, y: number): GeoTransform {
  return [t[0] + x * t[1] + y * t[2], t[1], t[2], t[3] + x * t[4] + y * t[5], t[4], t[5]];
}

/** Plan a clip of a raster to a GeoJSON AOI (pure after the header read); throws `aoi_outside_area`. */
export function planForAoi(info: RasterInfo, aoiGeoJson: unknown, fmt: OutputFormat): ClipPlan {
  const crs = info.geo.crs;
  if (!crs) throw new AppError('unsupported_crs', `${info.path} has no coordinate reference system; it cannot be clipped to an AOI`);
  const aoi = parseAoi(aoiGeoJson, { loc: ['body', 'aoi_geometry'] });
  const pix = toPixelSpace(projectAoi(aoi, crs), info.geo.transform);
  const l0 = info.levels[0]!;
  // Pixel centres on an edge count as GDAL counts them, so the mask equals gdalwarp -cutline's.
  const plan = planClip({ width: l0.width, height: l0.height, tileWidth: fmt.tileWidth, tileHeight: fmt.tileHeight, polygons: pix, gdalCompat: gdalCompatFor(info.geo.transform) });
  if (!plan) throw new AppError('aoi_outside_area', 'The AOI does not cover any pixel of the source raster', { issues: [{ loc: ['body', 'aoi_geometry'], msg: 'The AOI does not overlap the data', type: 'aoi_outside_area' }] });
  return plan;
}

/** Clip a local GeoTIFF (opened and closed here). */
export async function clipToCog(sourcePath: string, aoiGeoJson: unknown, outPath: string, opts: ClipOptions = {}): Promise<ClipResult> {
  const source = await FileSource.open(sourcePath);
  try {
    return await clipSourceToCog(source, aoiGeoJson, outPath, opts);
  } finally {
    await source.close();
  }
}

/**
 * Clip the GeoTIFF of an open source to `outPath` (a temp file beside it, renamed when complete); the caller
 * closes the source. The headers and the tiles are read through that one source; if the file is written to
 * while the clip reads it (truncated, overwritten in place, an object replaced), the clip fails with
 * `source_changed` and writes nothing, whatever else that caused to fail.
 */
export async function clipSourceToCog(source: Source, aoiGeoJson: unknown, outPath: string, opts: ClipOptions = {}): Promise<ClipResult> {
  try {
    return await clipFrom(source, aoiGeoJson, outPath, opts);
  } catch (err) {
    if (!(err instanceof AppError && err.code === 'source_changed')) await source.assertUnchanged?.(err);
    throw err;
  }
}

async function clipFrom(source: Source, aoiGeoJson: unknown, outPath: string, opts: ClipOptions): Promise<ClipResult> {
  const clock = opts.clock;
  const info = await timed(clock, 'open', () => readRasterInfo(source));
  const fmt = chooseOutputFormat(info, opts.compression === undefined ? undefined : { compression: opts.compression });
  const plan = timedSync(clock, 'plan', () => planForAoi(info, aoiGeoJson, fmt));
  const concurrency = opts.concurrency ?? RowConcurrency;
  const tmp = `${outPath}.tmp-${randomBytes(6).toString('hex')}`;
  const { tileWidth: tw, tileHeight: th } = fmt;
  const bands = info.bands;
  const overviews = timedSync(clock, 'plan', () => planOverviews(plan.window.width, plan.window.height, tw, th));
  const levels = [{ width: plan.window.width, height: plan.window.height }, ...overviews];
  const nodata = fmt.useMask ? null : usableNodata(info);
  const writer = await CogWriter.create(tmp, {
    levels, tileWidth: tw, tileHeight: th, bands, dataType: info.dataType, compression: fmt.compression, predictor: fmt.predictor,
    photometric: fmt.photometric, extraSamples: info.extraSamples, ...(fmt.jpegTables ? { jpegTables: fmt.jpegTables } : {}),
    nodata: usableNodata(info), hasMask: fmt.useMask, ...(info.colorMap ? { colorMap: info.colorMap } : {}),
    geo: { transform: shiftTransform(info.geo.transform, plan.window.x, plan.window.y), geoKeyDirectory: info.geo.geoKeyDirectory, geoDoubleParams: info.geo.geoDoubleParams, geoAsciiParams: info.geo.geoAsciiParams, pixelIsPoint: info.geo.pixelIsPoint },
    ...(info.gdalMetadata ? { gdalMetadata: info.gdalMetadata } : {}),
  });
  const encSpec: TileEncodeSpec = { width: tw, height: th, bands, dataType: info.dataType, compression: fmt.compression, predictor: fmt.predictor, photometric: fmt.photometric, jpegQuality: fmt.quality, webpQuality: fmt.quality };
  const stats = clipStats(bands);

  const writeEncoded = async (level: number, tx: number, ty: number, pixels: PixelArray, valid: Uint8Array): Promise<void> => {
    let any = false;
    for (let i = 0; i < valid.length; i++) if (valid[i]) { any = true; break; }
    if (!any) return; // sparse
    const full = allValid(valid);
    const t0 = clock ? performance.now() : 0;
    if (!full && fmt.lossy) fillInvalidBlocks(pixels, valid, tw, th, bands, nodata ?? 0);
    else if (!full) fillInvalid(pixels, valid, bands, nodata ?? 0);
    const maskBytes = !fmt.useMask ? Promise.resolve(null) : full ? allValidMaskTile(tw, th) : encodeMaskTile(valid, tw, th);
    const [bytes, maskTile] = await Promise.all([encodeTile(pixels, encSpec), maskBytes]);
    clock?.add(level === 0 ? 'encode' : 'overviews', performance.now() - t0);
    await timed(clock, 'write', () => writer.writeTile(level, tx, ty, bytes, maskTile));
  };

  const pyramid = new Pyramid(overviews, tw, th, bands, info.dataType, fmt.resampling, nodata, async (level, ty, rowPixels, rowValid) => {
    const size = levels[level]!;
    const across = Math.ceil(size.width / tw);
    const rowWidth = across * tw;
    await mapLimit([...Array(across).keys()], concurrency, async (tx) => {
      const [valid, pixels] = timedSync(clock, 'overviews', () => {
        const v = cutMask(rowValid, rowWidth, tx, tw, th);
        clipToExtent(v, tw, th, size.width - tx * tw, size.height - ty * th);
        return [v, cutTile(rowPixels, rowWidth, tx, tw, th, bands, info.dataType)] as const;
      });
      await writeEncoded(level, tx, ty, pixels, valid);
    });
  });

  const hw = tw / 2;
  const hh = th / 2;
  const halfRowWidth = plan.tilesAcross * hw;
  const halfPixels = allocPixels(info.dataType, halfRowWidth * hh * bands);
  const halfValid = new Uint8Array(halfRowWidth * hh);
  const wantHalves = overviews.length > 0;
  // Inside JPEG tiles with nothing to mask are copied as bytes and halved by libjpeg's DCT scaling, never fully decoded.
  const fastHalf = fmt.passthrough && info.compression === Compression.Jpeg && info.dataType === 'uint8' && !info.mask && alphaBand(info) < 0 && fmt.resampling === 'average';
  const total = plan.tilesAcross * plan.tilesDown;
  const counts = { inside: 0, boundary: 0, outside: 0, passthrough: 0 };
  let done = 0;
  try {
    const rows = planRows(plan);
    for (;;) {
      const next = timedSync(clock, 'plan', () => rows.next());
      if (next.done) break;
      const row = next.value;
      if (opts.signal?.aborted) throw new AppError('internal_error', 'clip aborted');
      halfPixels.fill(0 as never);
      halfValid.fill(0);
      const extentCols = (tx: number): number => plan.window.width - tx * tw;
      const extentRows = plan.window.height - row.ty * th;
      await mapLimit(row.tiles, concurrency, async (tile) => {
        counts[tile.cls]++;
        if (tile.cls === 'outside') return;
        let half: HalfTile | undefined;
        const fastBytes = fastHalf && tile.cls === 'inside' ? (await timed(clock, 'read', () => readTileBytes(source, info, 0, tile.sourceTx, row.sourceTy)))[0] : null;
        if (fastBytes) {
          counts.passthrough++;
          const mask = fmt.useMask ? await timed(clock, 'mask', () => allValidMaskTile(tw, th)) : null;
          await timed(clock, 'write', () => writer.writeTile(0, tile.tx, row.ty, fastBytes, mask));
          if (wantHalves) half = await timed(clock, 'overviews', () => halfFromJpeg(fastBytes, info.jpegTables, tw, th, bands));
        } else {
          const aoiMask = tile.cls === 'boundary' ? timedSync(clock, 'mask', () => row.mask(tile.tx)) : null;
          const { pixels, valid, passBytes } = await readOutputTile(source, info, fmt, row.sourceTy, tile, aoiMask, clock);
          if (passBytes) {
            counts.passthrough++;
            const maskBytes = fmt.useMask ? await timed(clock, 'mask', async () => (allValid(valid) ? allValidMaskTile(tw, th) : encodeMaskTile(valid, tw, th))) : null;
            await timed(clock, 'write', () => writer.writeTile(0, tile.tx, row.ty, passBytes, maskBytes));
          } else {
            const outValid = timedSync(clock, 'mask', () => {
              const v = valid.slice();
              clipToExtent(v, tw, th, extentCols(tile.tx), extentRows);
              return v;
            });
            await writeEncoded(0, tile.tx, row.ty, pixels.slice() as PixelArray, outValid);
          }
          timedSync(clock, 'stats', () => stats.add(pixels, valid));
          if (wantHalves) half = timedSync(clock, 'overviews', () => halfFromPixels(pixels, valid, tw, th, bands, fmt.resampling, nodata));
        }
        if (half) {
          const h = half;
          timedSync(clock, 'overviews', () => {
            clipToExtent(h.valid, hw, hh, Math.ceil(extentCols(tile.tx) / 2), Math.ceil(extentRows / 2));
            putTile(halfPixels, halfRowWidth, h.pixels, tile.tx, hw, hh, bands);
            putMask(halfValid, halfRowWidth, h.valid, tile.tx, hw, hh);
          });
        }
      });
      if (wantHalves) await pyramid.addHalfRow(1, row.ty, halfPixels, halfValid, halfRowWidth, row.ty === plan.tilesDown - 1);
      done += row.tiles.length;
      opts.onProgress?.(done, total);
    }
    await source.assertUnchanged?.();
    const result = await writer.finish(outPath, clock);
    return {
      size: result.size,
      sha256: result.sha256,
      info: {
        width: plan.window.width, height: plan.window.height, window: plan.window, tile_size: [tw, th], overview_count: overviews.length,
        bands, data_type: info.dataType, compression: fmt.compression, mask: fmt.useMask, nodata: info.nodata, epsg: info.geo.crs?.epsg ?? null,
        transform: shiftTransform(info.geo.transform, plan.window.x, plan.window.y), tiles: counts, big_tiff: result.bigTiff,
      },
      renderDefaults: renderDefaultsOf(info, stats),
      ...(clock ? { stages: clock.times } : {}),
    };
  } catch (err) {
    await writer.abort();
    throw err;
  }
}

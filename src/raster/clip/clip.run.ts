/**
 * `clipSourceToCog(source, aoi, output)`: clip a GeoTIFF to an AOI as a COG on the source's own grid.
 * The source is any `Source` (a local file, an object in a bucket): the clip never knows which.
 * Inside tiles are copied as compressed bytes (passthrough) when the format allows; boundary tiles are
 * decoded, masked and re-encoded; outside tiles stay sparse. Overviews stream from tile rows
 * (pyramid.ts), so memory is one tile row per level whatever the AOI's size.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { AppError } from '../../errors/app.error.js';
import { parseAoi } from '../aoi/aoi.parse.js';
import { projectAoi, toPixelSpace } from '../aoi/aoi.project.js';
import { CogWriter } from '../cog/cog.writer.js';
import { epsgGeoKeys } from '../geo/crs.geokeys.js';
import { decodeTile } from '../decode/tile.decode.js';
import { PixelPools } from '../decode/pixel.pool.js';
import type { TileEncodeSpec } from '../encode/tile.encode.js';
import { planClip, planRows, type ClipPlan, type PlanRow, type PlanTile } from '../plan/clip.plan.js';
import { planOverviews } from '../plan/overview.plan.js';
import { gdalCompatFor } from '../plan/mask.spans.js';
import { readRasterInfo } from '../read/raster.open.js';
import { FileSource, type Source } from '../read/source.js';
import { Compression, type GeoTransform, type RasterInfo } from '../raster.types.js';
import { readTileBytes } from '../read/tile.reader.js';
import { anyValid, halfFromJpeg, halfFromPixels, type HalfInto, type HalfTile } from './tile.half.js';
import { readOutputTile } from './output.tile.read.js';
import { clipStats, renderDefaultsOf } from './clip.stats.js';
import { alphaBand, chooseOutputFormat, usableNodata, type OutputFormat } from './output.format.js';
import { Pyramid, type HalfTarget } from './pyramid.js';
import { timed, timedSync, type StageClock, type StageTimes } from './stage.clock.js';
import { clipToExtent, cutMask, cutTile, putMask, putTile } from './tile.cut.js';
import { outputRasterInfo } from './output.info.js';
import type { OutputSummary } from './output.summary.js';
import { SummaryGather } from './summary.gather.js';
import { OutputTiles } from './output.tiles.js';
import { WorkLimit } from './work.limit.js';
import { deepInside, edgeBands, SourceHalves, sourceHalvesUsable, type RowEdges } from './source.half.js';
import { FirstOverviewCopies } from './overview.copy.js';

export interface ClipOptions {
  /** Called after each full-resolution tile row: tiles done, tiles in all */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  /** Output compression (TIFF code); default: the source's own when it can be encoded, else DEFLATE */
  compression?: number;
  /**
   * Tiles worked on at once (default 8), or a function read before each tile starts (a scheduler's cap);
   * 1 makes a stage clock's sums a serial breakdown
   */
  concurrency?: number | (() => number);
  /** Adds each stage's time (profiles; see stage.clock.ts) */
  clock?: StageClock;
  /** Gather the output's summary (statistics and thumbnail, output.summary.ts) from the tiles as they are written */
  summary?: boolean;
  /** Tile buffers to reuse, kept from earlier clips of this thread (default: a pool of this clip's own) */
  pools?: PixelPools;
}

export interface ClipResult {
  size: number;
  sha256: string;
  info: Record<string, unknown>;
  renderDefaults: Record<string, unknown>;
  /** The clock's stage times, when a clock was given */
  stages?: StageTimes;
  /** With `summary`: the output's summary, and the output as a reader finds it (its footprint) */
  summary?: OutputSummary & { info: RasterInfo };
}

/** Tiles worked on at once by default (their decodes and encodes run on libuv's thread pool). */
const DefaultConcurrency = 8;
/**
 * Tiles worked on at once while interactive work (map tiles, API calls) is in flight: one decode beside one
 * encode, so a map tile's encode finds libuv's pool and the cores nearly free.
 */
const YieldingConcurrency = 2;

/** A clip's tiles in flight given the interactive requests in flight now (the scheduler's cap). */
export function clipConcurrency(interactiveInFlight: number): number {
  return interactiveInFlight > 0 ? YieldingConcurrency : DefaultConcurrency;
}
/** Full-resolution rows started before the oldest one must reach the pyramid. */
const RowsAhead = 2;

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
    geo: { transform: shiftTransform(info.geo.transform, plan.window.x, plan.window.y), geoKeyDirectory: info.geo.geoKeyDirectory ?? epsgGeoKeys(info.geo.crs, info.geo.pixelIsPoint), geoDoubleParams: info.geo.geoDoubleParams, geoAsciiParams: info.geo.geoAsciiParams, pixelIsPoint: info.geo.pixelIsPoint },
    ...(info.gdalMetadata ? { gdalMetadata: info.gdalMetadata } : {}),
  });
  const encSpec: TileEncodeSpec = { width: tw, height: th, bands, dataType: info.dataType, compression: fmt.compression, predictor: fmt.predictor, photometric: fmt.photometric, jpegQuality: fmt.quality, webpQuality: fmt.quality };
  // Named by its file name only: a decode error's message reaches the user, the server's layout must not.
  const outInfo = opts.summary ? outputRasterInfo(info, fmt, levels, shiftTransform(info.geo.transform, plan.window.x, plan.window.y), path.basename(outPath)) : null;
  const gather = outInfo ? new SummaryGather(outInfo, (level, tx, ty, bytes) => decodeTile(outInfo, level, { tx, ty }, [bytes]), clock) : null;
  const out = new OutputTiles(writer, fmt, encSpec, nodata ?? 0, clock, gather);
  // Only 16-bit and float outputs get render defaults from statistics (clip.stats.ts).
  const stats = info.dataType !== 'uint8' && info.photometric !== 3 ? clipStats(bands) : null;
  // Tile-sized buffers go back to their pool once their tile is written: whole-tile pixels (decoded, or cut
  // from overview rows) and validity (AOI masks, overview tiles'), and first-overview halves once copied into
  // their row (with one data type and one band, pixels and validity share a pool: the same buffers).
  const pools = opts.pools ?? new PixelPools();
  const pool = pools.for(info.dataType, tw * th * bands);
  const validPool = pools.for('uint8', tw * th);
  const takeValid = (): Uint8Array => validPool.take() as Uint8Array;
  const halfPool = pools.for(info.dataType, (tw / 2) * (th / 2) * bands);
  const halfValidPool = pools.for('uint8', (tw / 2) * (th / 2));
  const takeHalf = (): HalfInto => ({ pixels: halfPool.take(), valid: halfValidPool.take() as Uint8Array });
  // Full-resolution tiles and overview tiles share one bound; `concurrency` may be read anew for each tile.
  const limit = new WorkLimit(typeof opts.concurrency === 'function' ? opts.concurrency : () => (opts.concurrency as number | undefined) ?? DefaultConcurrency);

  const wantHalves = overviews.length > 0;
  // Tiles deep inside the AOI take their first-overview half from the source's own overview (source.half.ts),
  // and first-overview tiles made of four such halves may be the source's own tiles (overview.copy.ts).
  const srcHalves = wantHalves && sourceHalvesUsable(info, fmt) ? new SourceHalves(source, info, tw, th, clock, pool) : null;
  const copies = srcHalves ? FirstOverviewCopies.for(info, plan, tw, th) : null;
  const counts = { inside: 0, boundary: 0, outside: 0, passthrough: 0, source_halves: 0, source_overview_tiles: 0 };

  // Each finished overview row is cut into tiles whose encodes run beside the next full-resolution tiles.
  const pyramid = new Pyramid(overviews, tw, th, bands, info.dataType, fmt.resampling, nodata, RowsAhead, async (level, ty, rowPixels, rowValid) => {
    const size = levels[level]!;
    const across = Math.ceil(size.width / tw);
    const rowWidth = across * tw;
    for (let tx = 0; tx < across; tx++) {
      const from = level === 1 ? copies?.sourceTile(tx, ty) : null;
      if (from) {
        counts.source_overview_tiles++;
        await limit.spawn(async () => {
          const [bytes] = await timed(clock, 'read', () => readTileBytes(source, info, 1, from.tx, from.ty));
          await out.passthrough(1, tx, ty, copies!.asWritten(bytes!), null);
        });
        continue;
      }
      const valid = cutMask(rowValid, rowWidth, tx, tw, th, takeValid());
      clipToExtent(valid, tw, th, size.width - tx * tw, size.height - ty * th);
      if (!anyValid(valid)) {
        validPool.give(valid);
        continue;
      }
      const pixels = timedSync(clock, 'overviews', () => cutTile(rowPixels, rowWidth, tx, tw, th, bands, info.dataType, pool.take()));
      await limit.spawn(async () => {
        await out.encode(level, tx, ty, pixels, valid);
        pool.give(pixels);
        validPool.give(valid);
      });
    }
  });

  const hw = tw / 2;
  const hh = th / 2;
  // Inside JPEG tiles with nothing to mask are copied as bytes and halved by libjpeg's DCT scaling, never fully decoded.
  const fastHalf = fmt.passthrough && info.compression === Compression.Jpeg && info.dataType === 'uint8' && !info.mask && alphaBand(info) < 0 && fmt.resampling === 'average' && (bands === 1 || bands === 3);
  const total = plan.tilesAcross * plan.tilesDown;
  let done = 0;

  /** One full-resolution tile: written, and its half put into the row's first-overview buffers. */
  const tileJob = async (row: PlanRow, tile: PlanTile, halves: HalfTarget | null, deep: boolean, aoiMask: Uint8Array | null): Promise<void> => {
    const extentCols = plan.window.width - tile.tx * tw;
    const extentRows = plan.window.height - row.ty * th;
    let half: HalfTile | undefined;
    const copy = (fastHalf || (deep && srcHalves)) && tile.cls === 'inside';
    const bytes = copy ? (await timed(clock, 'read', () => readTileBytes(source, info, 0, tile.sourceTx, row.sourceTy)))[0] : null;
    if (bytes) {
      counts.passthrough++;
      await out.passthrough(0, tile.tx, row.ty, bytes, null);
      if (halves && deep && srcHalves) {
        counts.source_halves++;
        copies?.tookHalf(tile.tx, row.ty);
        half = await srcHalves.half(tile.sourceTx, row.sourceTy, takeHalf());
        if (stats) stats.add(half.pixels, half.valid);
      } else if (halves) {
        half = await timed(clock, 'overviews', () => halfFromJpeg(bytes, info.jpegTables, tw, th, bands as 1 | 3, takeHalf()));
      }
    } else {
      const { pixels, valid, passBytes } = await readOutputTile(source, info, fmt, row.sourceTy, tile, aoiMask, clock, { pixels: pool, valid: validPool });
      // Statistics and the half first: the encode below fills invalid pixels in place.
      if (stats) timedSync(clock, 'stats', () => stats.add(pixels, valid));
      if (halves) half = timedSync(clock, 'overviews', () => halfFromPixels(pixels, valid, tw, th, bands, fmt.resampling, nodata, takeHalf()));
      if (passBytes) {
        counts.passthrough++;
        await out.passthrough(0, tile.tx, row.ty, passBytes, valid);
      } else {
        clipToExtent(valid, tw, th, extentCols, extentRows);
        await out.encode(0, tile.tx, row.ty, pixels, valid);
      }
      // Written (or copied as bytes), its half and statistics taken: nothing holds the pixels or validity now.
      pool.give(pixels);
      validPool.give(valid);
    }
    if (half && halves) {
      const h = half;
      timedSync(clock, 'overviews', () => {
        clipToExtent(h.valid, hw, hh, Math.ceil(extentCols / 2), Math.ceil(extentRows / 2));
        putTile(halves.pixels, halves.rowWidth, h.pixels, tile.tx, hw, hh, bands);
        putMask(halves.valid, halves.rowWidth, h.valid, tile.tx, hw, hh);
      });
      halfPool.give(h.pixels);
      halfValidPool.give(h.valid);
    }
  };

  // Rows overlap: the next row's tiles start while the last ones of this row finish. Rows reach the
  // pyramid in order, at most RowsAhead rows behind the row being started.
  const rowsOpen: { row: PlanRow; halves: HalfTarget | null; tiles: Promise<void>[] }[] = [];
  const finishRow = async (): Promise<void> => {
    const r = rowsOpen.shift()!;
    await Promise.all(r.tiles);
    if (r.halves) await pyramid.halfWritten(r.row.ty, r.row.ty === plan.tilesDown - 1);
    srcHalves?.rowDone(r.row.sourceTy);
    done += r.row.tiles.length;
    opts.onProgress?.(done, total);
  };
  try {
    const rows = planRows(plan);
    const nextRow = (): PlanRow | null => timedSync(clock, 'plan', () => {
      const n = rows.next();
      return n.done ? null : n.value;
    });
    // One row of look-ahead: a tile deep inside needs the classes and edges of the rows above and below it.
    // The AOI masks of boundary tiles are made once, when their row is first seen.
    const edgesOf = (r: PlanRow | null): (RowEdges & { row: PlanRow; tiles: PlanTile[]; masks: (Uint8Array | undefined)[] }) | null => {
      if (!r) return null;
      const masks = r.tiles.map((t) => (t.cls === 'boundary' ? timedSync(clock, 'mask', () => r.mask(t.tx, takeValid())) : undefined));
      const bands = new Uint16Array(r.tiles.length);
      if (srcHalves) masks.forEach((m, tx) => { if (m) bands[tx] = edgeBands(m, tw, th); });
      return { row: r, tiles: r.tiles, bands, masks };
    };
    let above: RowEdges | null = null;
    let row = edgesOf(nextRow());
    while (row) {
      const below = edgesOf(nextRow());
      if (opts.signal?.aborted) throw new AppError('internal_error', 'clip aborted');
      const current = row;
      // The row's tiles put their halves straight into the first overview's row (zeroed, and free by now: rows
      // finish in order, at most RowsAhead behind this one, and the pyramid keeps a row buffer for each).
      const halves = wantHalves ? pyramid.halfTarget(current.row.ty) : null;
      const open = { row: current.row, halves, tiles: [] as Promise<void>[] };
      rowsOpen.push(open);
      for (const tile of current.tiles) {
        counts[tile.cls]++;
        const deep = srcHalves !== null && deepInside(above, current, below, tile.tx);
        const aoiMask = current.masks[tile.tx] ?? null;
        current.masks[tile.tx] = undefined;
        if (tile.cls !== 'outside') open.tiles.push((await limit.spawn(() => tileJob(current.row, tile, halves, deep, aoiMask))).done);
      }
      while (rowsOpen.length > RowsAhead) await finishRow();
      above = current;
      row = below;
    }
    while (rowsOpen.length > 0) await finishRow();
    await limit.drain();
    await source.assertUnchanged?.();
    const [result, summary] = await Promise.all([writer.finish(outPath, clock), gather?.finish()]);
    return {
      size: result.size,
      sha256: result.sha256,
      info: {
        width: plan.window.width, height: plan.window.height, window: plan.window, tile_size: [tw, th], overview_count: overviews.length,
        bands, data_type: info.dataType, compression: fmt.compression, mask: fmt.useMask, nodata: info.nodata, epsg: info.geo.crs?.epsg ?? null,
        transform: shiftTransform(info.geo.transform, plan.window.x, plan.window.y), tiles: counts, big_tiff: result.bigTiff,
      },
      renderDefaults: renderDefaultsOf(info, stats ?? clipStats(bands)),
      ...(clock ? { stages: clock.times } : {}),
      ...(summary && outInfo ? { summary: { ...summary, info: outInfo } } : {}),
    };
  } catch (err) {
    await limit.settle();
    await writer.abort();
    throw err;
  }
}

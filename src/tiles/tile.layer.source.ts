/**
 * Layers: a raster file version made drawable (extent, zooms, render defaults), for a clip job's
 * output or an area's mosaic. Render defaults stored with a job are used; when a 16-bit or float raster
 * has none, they are computed once from its smallest overview and kept with the layer.
 */
import { LRUCache } from 'lru-cache';
import type { AreaCatalog } from '../catalog/area.catalog.js';
import { AppError } from '../errors/app.error.js';
import type { FileStore, StoredFile } from '../files/file.store.js';
import { parseAoi } from '../raster/aoi/aoi.parse.js';
import type { RasterInfo } from '../raster/raster.types.js';
import type { JobRow, OutputRow } from '../storage/job.store.js';
import type { OpenRaster, RasterCache } from './raster.cache.js';
import { computeRenderDefaults, needsRescale, readStoredDefaults } from './render.defaults.js';
import type { RenderDefaults } from './render.style.js';
import type { LonLatBounds } from './tile.grid.js';
import { layerExtent, type LayerExtent } from './tile.layer.js';
import { readPixelWindow } from './tile.window.js';

/** A drawable raster file version. */
export interface Layer {
  /** The COG in the file store (key, size, the version drawn) */
  file: StoredFile;
  /** Cache key of this version of the file */
  key: string;
  info: RasterInfo;
  extent: LayerExtent;
  defaults: RenderDefaults | null;
  /** `Cache-Control` for its tiles */
  cacheControl: string;
}

/** Job outputs never change; area mosaics may be replaced by an operator. */
const JobCacheControl = 'private, max-age=86400';
const AreaCacheControl = 'private, max-age=300';

/** Largest side of the pixel sample read for lazily computed defaults (a raster without overviews is sampled in its middle). */
const MaxSampleSide = 2048;

/** Defaults computed from the smallest overview (all of it, or its middle when larger than 2048², through the tile cache). */
export async function lazyDefaults(cache: RasterCache, raster: OpenRaster): Promise<RenderDefaults> {
  const info = raster.info;
  const level = info.levels.length - 1;
  const lvl = info.levels[level]!;
  const width = Math.min(lvl.width, MaxSampleSide);
  const height = Math.min(lvl.height, MaxSampleSide);
  const win = { x0: Math.floor((lvl.width - width) / 2), y0: Math.floor((lvl.height - height) / 2), width, height };
  const px = await readPixelWindow(cache, raster, level, win, { bands: [], nodata: null, alphaBand: null });
  return computeRenderDefaults(info, { pixels: px.data, width: px.width, height: px.height, valid: px.valid });
}

export class LayerSource {
  private readonly jobLayers = new LRUCache<string, Promise<Layer>>({ max: 512 });
  /** Area layers are re-checked against the file every 2 s (an operator may replace a mosaic). */
  private readonly areaLayers = new LRUCache<string, Promise<Layer>>({ max: 256, ttl: 2000 });
  /** Lazily computed defaults per file version (they outlive the area layers' short life). */
  private readonly computed = new LRUCache<string, Promise<RenderDefaults>>({ max: 256 });

  constructor(
    private readonly cache: RasterCache,
    private readonly catalog: AreaCatalog,
    private readonly files: FileStore,
  ) {}

  /** The layer of a completed job's output (outputs never change: one lookup per output while the layer is kept). */
  jobLayer(job: JobRow, out: OutputRow): Promise<Layer> {
    const key = `job|${job.id}|${out.output_key}|${out.sha256}`;
    return this.remember(this.jobLayers, key, async () => {
      const file = await this.files.stat(out.rel_path);
      if (!file) throw new AppError('output_not_found', `The file of output "${out.output_key}" of job "${job.id}" is gone`);
      const raster = await this.cache.open(file.key, `${file.key}|${out.sha256}`, file);
      const info = raster.info;
      let stored: unknown = null;
      try {
        stored = (JSON.parse(job.render_defaults ?? '{}') as Record<string, unknown>)[out.output_key] ?? null;
      } catch {
        stored = null;
      }
      let defaults = readStoredDefaults(stored, info);
      if (needsRescale(info, defaults)) defaults = { ...defaults, ...(await this.computedDefaults(raster)) };
      return { file, key: raster.key, info, extent: layerExtent(info, aoiBounds(job.aoi)), defaults, cacheControl: JobCacheControl };
    });
  }

  /** The layer of an area's mosaic (404 `area_not_found` / `mosaic_not_found`). */
  areaLayer(area: string, mosaicType: string): Promise<Layer> {
    return this.remember(this.areaLayers, `area|${area}|${mosaicType}`, async () => {
      // The catalog lists the area on every call, so this is the mosaic's current version.
      const { file } = await this.catalog.mosaic(area, mosaicType);
      const key = `${file.key}|${file.size}|${file.version}`;
      const raster = await this.cache.open(file.key, key, file);
      const info = raster.info;
      const defaults = needsRescale(info, null) ? await this.computedDefaults(raster) : readStoredDefaults(computeRenderDefaults(info, null), info);
      return { file, key, info, extent: layerExtent(info), defaults, cacheControl: AreaCacheControl };
    });
  }

  /** Read an area's mosaic afresh next time (it was replaced since its layer was made). */
  forgetArea(area: string, mosaicType: string): void {
    this.areaLayers.delete(`area|${area}|${mosaicType}`);
  }

  private computedDefaults(raster: OpenRaster): Promise<RenderDefaults> {
    return this.remember(this.computed, raster.key, () => lazyDefaults(this.cache, raster));
  }

  private remember<T extends object>(cache: LRUCache<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
    const hit = cache.get(key);
    if (hit) return hit;
    const p = make();
    cache.set(key, p);
    p.catch(() => {
      if (cache.peek(key) === p) cache.delete(key);
    });
    return p;
  }

  clear(): void {
    this.jobLayers.clear();
    this.areaLayers.clear();
    this.computed.clear();
  }
}

/** Bounds of a job's AOI in degrees, or null when it cannot be read. */
function aoiBounds(aoiJson: string): LonLatBounds | null {
  try {
    return parseAoi(JSON.parse(aoiJson)).bbox;
  } catch {
    return null;
  }
}

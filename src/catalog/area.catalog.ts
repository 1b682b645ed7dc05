/**
 * The area catalog over `$GEOPERA_DATA_DIR/areas`: read lazily, cached per area, refreshed when any of
 * its files changes (checked by a few `stat` calls per request; no restart). A broken file gives that
 * area an `error`; it never fails the whole list.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors/app.error.js';
import { pathHider } from '../errors/path.hide.js';
import { openRaster } from '../raster/read/raster.open.js';
import type { RasterInfo } from '../raster/raster.types.js';
import { readAreaFiles, listAreaIds, type AreaFiles } from './area.files.js';
import { unionBounds } from './bounds.wgs84.js';
import { dateRange, parseCaptureDates, type CaptureFeature } from './capture.dates.js';
import { describeMosaic, type MosaicDescription } from './mosaic.describe.js';

/** One area, fully read. */
export interface AreaEntry {
  id: string;
  title: string;
  description: string | null;
  meta: Record<string, unknown>;
  mosaics: { type: string; path: string; info?: RasterInfo; description?: MosaicDescription; error?: string }[];
  captureDates: CaptureFeature[];
  bounds: [number, number, number, number] | null;
  errors: string[];
}

/** What `clip.areas.list` answers per area. */
export interface AreaSummary {
  id: string;
  title: string;
  description: string | null;
  bounds: [number, number, number, number] | null;
  mosaic_types: string[];
  capture_date_range: { start: string; end: string } | null;
  error?: string;
}

export class AreaCatalog {
  private readonly cache = new Map<string, { signature: string; entry: Promise<AreaEntry> }>();
  readonly areasDir: string;
  private readonly hidePaths: (text: string) => string;

  constructor(dataDir: string) {
    this.areasDir = path.join(dataDir, 'areas');
    this.hidePaths = pathHider(dataDir);
  }

  /** Every area, sorted by id. */
  async listAreas(): Promise<AreaSummary[]> {
    const ids = await listAreaIds(this.areasDir);
    const entries = await Promise.all(ids.map((id) => this.load(id)));
    return entries.filter((e): e is AreaEntry => e !== undefined).map(toSummary);
  }

  /** An area, or 404 `area_not_found`. */
  async area(id: string): Promise<AreaEntry> {
    const entry = await this.load(id);
    if (!entry) throw new AppError('area_not_found', `Area "${id}" does not exist`);
    return entry;
  }

  async mosaics(id: string): Promise<(MosaicDescription | { mosaic_type: string; error: string })[]> {
    const entry = await this.area(id);
    return entry.mosaics.map((m) => m.description ?? { mosaic_type: m.type, error: m.error ?? 'unreadable' });
  }

  async captureDates(id: string): Promise<CaptureFeature[]> {
    return (await this.area(id)).captureDates;
  }

  /** A readable mosaic of an area, or 404 `mosaic_not_found`. */
  async mosaic(id: string, type: string): Promise<{ path: string; info: RasterInfo }> {
    const entry = await this.area(id);
    const m = entry.mosaics.find((x) => x.type === type);
    if (!m) throw new AppError('mosaic_not_found', `Area "${id}" has no mosaic type "${type}" (it has: ${entry.mosaics.map((x) => x.type).join(', ') || 'none'})`);
    if (!m.info) throw new AppError('invalid_tiff', `Mosaic "${type}" of area "${id}" cannot be read: ${m.error ?? 'unknown error'}`);
    return { path: m.path, info: m.info };
  }

  private async load(id: string): Promise<AreaEntry | undefined> {
    const files = await readAreaFiles(this.areasDir, id);
    if (!files) {
      this.cache.delete(id);
      return undefined;
    }
    const cached = this.cache.get(id);
    if (cached && cached.signature === files.signature) return cached.entry;
    const entry = readArea(files, this.hidePaths);
    this.cache.set(id, { signature: files.signature, entry });
    entry.catch(() => this.cache.delete(id));
    return entry;
  }
}

async function readArea(files: AreaFiles, hidePaths: (text: string) => string): Promise<AreaEntry> {
  const errors: string[] = [];
  let meta: Record<string, unknown> = {};
  if (files.areaJson) {
    try {
      meta = JSON.parse(await readFile(files.areaJson, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      errors.push(`area.json: ${hidePaths((err as Error).message)}`);
    }
  }
  let captureDates: CaptureFeature[] = [];
  if (files.captureDates) {
    try {
      captureDates = parseCaptureDates(await readFile(files.captureDates, 'utf8'), 'capture_dates.geojson');
    } catch (err) {
      errors.push(hidePaths((err as Error).message));
    }
  }
  const mosaics = await Promise.all([...files.mosaics].map(async ([type, file]) => {
    try {
      const info = await openRaster(file);
      return { type, path: file, info, description: describeMosaic(type, info) };
    } catch (err) {
      const message = `mosaics/${path.basename(file)}: ${hidePaths((err as Error).message)}`;
      errors.push(message);
      return { type, path: file, error: message };
    }
  }));
  return {
    id: files.id,
    title: typeof meta.title === 'string' ? meta.title : files.id,
    description: typeof meta.description === 'string' ? meta.description : null,
    meta,
    mosaics,
    captureDates,
    bounds: unionBounds(mosaics.flatMap((m) => (m.description ? [m.description.bounds] : []))),
    errors,
  };
}

function toSummary(e: AreaEntry): AreaSummary {
  return {
    id: e.id,
    title: e.title,
    description: e.description,
    bounds: e.bounds,
    mosaic_types: e.mosaics.map((m) => m.type),
    capture_date_range: dateRange(e.captureDates),
    ...(e.errors.length > 0 ? { error: e.errors.join('; ') } : {}),
  };
}

/**
 * The area catalog over `areas/` of the file store (the data directory or a bucket prefix): read lazily,
 * cached per area, refreshed when any of its files changes (one listing per request: a few `stat` calls on
 * disk, one ListObjectsV2 page per 1,000 objects in S3; no restart). A broken file gives that area an
 * `error`, told by its data-relative key; it never fails the whole list.
 */
import { AppError } from '../errors/app.error.js';
import type { ErrorCode } from '../errors/error.codes.js';
import type { FileStore, StoredFile } from '../files/file.store.js';
import { storedRasterInfo } from '../files/stored.raster.js';
import { assertPlaceable } from '../raster/geo/crs.grid.check.js';
import type { RasterInfo } from '../raster/raster.types.js';
import { listAreaFiles, readAreaFiles, type AreaFiles } from './area.files.js';
import { unionBounds } from './bounds.wgs84.js';
import { dateRange, parseCaptureDates, type CaptureFeature } from './capture.dates.js';
import { describeMosaic, type MosaicDescription } from './mosaic.describe.js';

/** One area, fully read. */
export interface AreaEntry {
  id: string;
  title: string;
  description: string | null;
  meta: Record<string, unknown>;
  mosaics: { type: string; file: StoredFile; info?: RasterInfo; description?: MosaicDescription; error?: string; errorCode?: ErrorCode }[];
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

  constructor(private readonly files: FileStore) {}

  /** Every area, sorted by id. */
  async listAreas(): Promise<AreaSummary[]> {
    const all = await listAreaFiles(this.files);
    for (const id of this.cache.keys()) if (!all.some((a) => a.id === id)) this.cache.delete(id);
    return (await Promise.all(all.map((files) => this.entryOf(files)))).map(toSummary);
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

  /** A readable mosaic of an area (the version its headers came from), or 404 `mosaic_not_found`. */
  async mosaic(id: string, type: string): Promise<{ file: StoredFile; info: RasterInfo }> {
    const entry = await this.area(id);
    const m = entry.mosaics.find((x) => x.type === type);
    if (!m) throw new AppError('mosaic_not_found', `Area "${id}" has no mosaic type "${type}" (it has: ${entry.mosaics.map((x) => x.type).join(', ') || 'none'})`);
    if (!m.info) throw new AppError(m.errorCode === 'unsupported_crs' ? 'unsupported_crs' : 'invalid_tiff', `Mosaic "${type}" of area "${id}" cannot be read: ${m.error ?? 'unknown error'}`);
    return { file: m.file, info: m.info };
  }

  private async load(id: string): Promise<AreaEntry | undefined> {
    const files = await readAreaFiles(this.files, id);
    if (!files) {
      this.cache.delete(id);
      return undefined;
    }
    return this.entryOf(files);
  }

  private entryOf(files: AreaFiles): Promise<AreaEntry> {
    const cached = this.cache.get(files.id);
    if (cached && cached.signature === files.signature) return cached.entry;
    const entry = readArea(this.files, files);
    this.cache.set(files.id, { signature: files.signature, entry });
    entry.catch(() => {
      if (this.cache.get(files.id)?.entry === entry) this.cache.delete(files.id);
    });
    return entry;
  }
}

/** A message about a stored file that names it by its key (engine messages already start with it). */
function about(key: string, err: unknown): string {
  const message = (err as Error).message;
  return message.startsWith(key) ? message : `${key}: ${message}`;
}

async function readText(files: FileStore, file: StoredFile): Promise<string> {
  const bytes = await files.read(file.key);
  if (!bytes) throw new Error('the file was removed');
  return Buffer.from(bytes).toString('utf8');
}

async function readArea(store: FileStore, files: AreaFiles): Promise<AreaEntry> {
  const errors: string[] = [];
  let meta: Record<string, unknown> = {};
  if (files.areaJson) {
    try {
      meta = JSON.parse(await readText(store, files.areaJson)) as Record<string, unknown>;
    } catch (err) {
      errors.push(about(files.areaJson.key, err));
    }
  }
  let captureDates: CaptureFeature[] = [];
  if (files.captureDates) {
    try {
      captureDates = parseCaptureDates(await readText(store, files.captureDates), files.captureDates.key);
    } catch (err) {
      errors.push(about(files.captureDates.key, err));
    }
  }
  const mosaics = await Promise.all([...files.mosaics].map(async ([type, file]) => {
    try {
      const info = await storedRasterInfo(store, file.key, file);
      assertPlaceable(info);
      return { type, file, info, description: describeMosaic(type, info) };
    } catch (err) {
      const message = about(file.key, err);
      errors.push(message);
      return { type, file, error: message, ...(err instanceof AppError ? { errorCode: err.code } : {}) };
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

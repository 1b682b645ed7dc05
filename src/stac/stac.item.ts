/**
 * A completed job as a STAC 1.0.0 Item (pure: the job, its outputs' recorded facts and the URLs in; the JSON
 * out). id = the job id; geometry = the AOI within the data; datetimes from the capture dates; one `data`
 * asset per output (signed href, media type, `file:size`, `file:checksum` as a sha256 multihash, `proj:epsg`,
 * `proj:shape`, `proj:transform`, `raster:bands` with data type, nodata and statistics) and a `thumbnail`
 * asset beside it; the map tile template of each output as an `xyz` link (web-map-links).
 */
import type { MultiPolygon, Polygon } from 'geojson';
import type { OutputStacFacts } from '../jobs/clip.task.js';
import type { JobRow, OutputRow } from '../storage/job.store.js';
import { geometryBbox, unionOf } from './stac.geometry.js';

export const StacVersion = '1.0.0';
/** The extensions an Item declares (their schemas are what tests validate against). */
export const StacExtensions = [
  'https://stac-extensions.github.io/projection/v1.1.0/schema.json',
  'https://stac-extensions.github.io/raster/v1.1.0/schema.json',
  'https://stac-extensions.github.io/file/v2.1.0/schema.json',
  'https://stac-extensions.github.io/web-map-links/v1.2.0/schema.json',
];
export const GeoJsonType = 'application/geo+json';

/** What a job output's `info` column records (clip.run.ts, plus the worker's STAC facts). */
export interface OutputInfo {
  width: number;
  height: number;
  bands: number;
  data_type: string;
  nodata: number | null;
  epsg: number | null;
  /** GDAL geotransform of the output */
  transform: [number, number, number, number, number, number];
  stac?: OutputStacFacts;
}

/** One output with its URLs. */
export interface ItemOutput {
  row: OutputRow;
  info: OutputInfo;
  /** Signed download URL */
  href: string;
  /** Signed thumbnail URL, when a thumbnail was stored */
  thumbnailHref?: string;
  /** XYZ tile template (signed) */
  tiles: string;
}

export interface ItemInput {
  job: JobRow;
  outputs: ItemOutput[];
  /** URL of this Item */
  self: string;
  /** First and last capture date of the data, when known */
  captureRange: { start: string; end: string } | null;
}

/** sha256 hex as a multihash (code 0x12, length 0x20), as `file:checksum` wants it. */
export function sha256Multihash(hex: string): string {
  return `1220${hex}`;
}

/** GDAL geotransform → the affine order of `proj:transform` (a, b, c, d, e, f). */
export function projTransform(t: OutputInfo['transform']): number[] {
  return [t[1], t[2], t[0], t[4], t[5], t[3]];
}

function nodataOf(v: number | null): number | string | undefined {
  if (v === null || v === undefined) return undefined;
  if (Number.isNaN(v)) return 'nan';
  return Number.isFinite(v) ? v : v > 0 ? 'inf' : '-inf';
}

function rasterBands(info: OutputInfo): Record<string, unknown>[] {
  const nodata = nodataOf(info.nodata);
  return Array.from({ length: info.bands }, (_, b) => {
    const stats = info.stac?.statistics[b];
    return { data_type: info.data_type, ...(nodata === undefined ? {} : { nodata }), ...(stats ? { statistics: stats } : {}) };
  });
}

/** The Item's geometry: the union of the outputs' AOI-within-data, else the AOI as given. */
function geometryOf(input: ItemInput): Polygon | MultiPolygon {
  const parts = input.outputs.flatMap((o) => (o.info.stac?.geometry ? [o.info.stac.geometry.geometry] : []));
  const union = parts.length === input.outputs.length ? unionOf(parts) : null;
  if (union) return union;
  const aoi = JSON.parse(input.job.aoi) as { type?: string; geometry?: unknown; features?: { geometry: unknown }[] };
  const g = (aoi.type === 'Feature' ? aoi.geometry : aoi.type === 'FeatureCollection' ? aoi.features?.[0]?.geometry : aoi) as Polygon | MultiPolygon;
  return g;
}

/** Build the Item. */
export function buildItem(input: ItemInput): Record<string, unknown> {
  const { job } = input;
  const geometry = geometryOf(input);
  const range = input.captureRange;
  const when = range
    ? range.start === range.end ? { datetime: range.start } : { datetime: null, start_datetime: range.start, end_datetime: range.end }
    : { datetime: job.finished_at ?? job.created_at, 'geopera:datetime_is': 'processing time (the capture dates are unknown)' };
  const assets: Record<string, unknown> = {};
  const links: Record<string, unknown>[] = [{ rel: 'self', href: input.self, type: GeoJsonType }];
  for (const o of input.outputs) {
    const { row, info } = o;
    assets[row.output_key] = {
      href: o.href,
      type: row.media_type,
      title: row.file_name,
      roles: ['data'],
      'file:size': row.size_bytes,
      'file:checksum': sha256Multihash(row.sha256),
      'proj:epsg': info.epsg ?? null,
      'proj:shape': [info.height, info.width],
      'proj:transform': projTransform(info.transform),
      'raster:bands': rasterBands(info),
    };
    if (o.thumbnailHref) assets[`${row.output_key}_thumbnail`] = { href: o.thumbnailHref, type: 'image/png', title: `${row.output_key} thumbnail`, roles: ['thumbnail'] };
    links.push({ rel: 'xyz', href: o.tiles, type: 'image/png', title: `${row.output_key} map tiles` });
  }
  return {
    type: 'Feature',
    stac_version: StacVersion,
    stac_extensions: StacExtensions,
    id: job.id,
    geometry,
    bbox: geometryBbox(geometry),
    properties: {
      ...when,
      title: job.output_name ?? job.aoi_name ?? job.id,
      created: job.created_at,
      updated: job.updated_at,
      ...(job.area ? { 'geopera:area': job.area } : {}),
      ...(job.source_item_id ? { 'geopera:source_item_id': job.source_item_id } : {}),
      ...(job.project_id ? { 'geopera:project_id': job.project_id } : {}),
      'geopera:expires_at': job.expires_at ?? null,
    },
    links,
    assets,
  };
}

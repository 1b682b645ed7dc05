/**
 * The TileJSON 3.0.0 document of one layer (a clip output or an area mosaic), plus, beside the
 * TileJSON fields, what a client needs to draw it: tile size, formats, templates of every format and
 * of `@2x`, the token's expiry, the source description and the render defaults in effect.
 */
import { describeMosaic } from '../catalog/mosaic.describe.js';
import type { RasterInfo } from '../raster/raster.types.js';
import { defaultsJson } from './render.defaults.js';
import type { RenderDefaults, RenderStyle } from './render.style.js';
import type { LayerExtent } from './tile.layer.js';
import { TileFormats, type TileFormat } from './tile.request.js';

export interface TileJsonInput {
  /** Layer name shown by clients */
  name: string;
  description?: string;
  /** `mosaic_type` (clip output key or area mosaic type) */
  mosaicType: string;
  /** URL of tile `{z}/{x}/{y}` without the last segment's suffix, e.g. `https://h/v1/tiles/jobs/J/visual` */
  baseTileUrl: string;
  /** Signed token for the `token` query parameter */
  token: string;
  /** Token expiry, unix seconds */
  tokenExp: number;
  extent: LayerExtent;
  info: RasterInfo;
  /** Render defaults in effect (stored or computed) */
  defaults: RenderDefaults | null;
  /** The style a tile without overrides is drawn with */
  style: RenderStyle;
  /** Capture dates of the data, when known */
  captureRange: { start: string; end: string } | null;
}

/** A URL template for a format and scale. */
export function tileTemplate(base: string, token: string, format: TileFormat, scale: 1 | 2): string {
  return `${base}/{z}/{x}/{y}${scale === 2 ? '@2x' : ''}.${format}?token=${token}`;
}

/** The attribution line: the product and, when known, the capture-date range. */
export function attributionOf(range: { start: string; end: string } | null): string {
  if (!range) return 'geopera';
  const day = (iso: string): string => iso.slice(0, 10);
  const when = day(range.start) === day(range.end) ? day(range.start) : `${day(range.start)} – ${day(range.end)}`;
  return `geopera · imagery captured ${when}`;
}

/** Build the document. */
export function buildTileJson(p: TileJsonInput): Record<string, unknown> {
  const { extent, info } = p;
  const described = describeMosaic(p.mosaicType, info);
  const templates = Object.fromEntries(TileFormats.map((f) => [f, tileTemplate(p.baseTileUrl, p.token, f, 1)]));
  const templates2x = Object.fromEntries(TileFormats.map((f) => [f, tileTemplate(p.baseTileUrl, p.token, f, 2)]));
  const w0 = info.levels[0]!.width;
  return {
    tilejson: '3.0.0',
    name: p.name,
    ...(p.description ? { description: p.description } : {}),
    version: '1.0.0',
    scheme: 'xyz',
    tiles: [templates.png],
    minzoom: extent.minzoom,
    maxzoom: extent.maxzoom,
    bounds: extent.bounds,
    center: extent.center,
    attribution: attributionOf(p.captureRange),
    mosaic_type: p.mosaicType,
    tile_size: 256,
    tile_size_2x: 512,
    formats: [...TileFormats],
    tile_templates: templates,
    tile_templates_2x: templates2x,
    token_expires_at: new Date(p.tokenExp * 1000).toISOString(),
    capture_date_range: p.captureRange,
    source: {
      crs: described.crs,
      epsg: described.epsg,
      width: described.width,
      height: described.height,
      resolution_m: described.resolution_m,
      bands: described.bands,
      data_type: described.data_type,
      compression: described.compression,
      nodata: described.nodata,
      mask: described.mask,
      alpha: described.alpha,
      palette: info.photometric === 3,
      native_zoom: extent.nativezoom,
      overview_levels: info.levels.map((l, k) => ({
        level: k,
        width: l.width,
        height: l.height,
        factor: Math.round((w0 / l.width) * 1000) / 1000,
        mercator_resolution_m: Math.round(extent.levelResolutions[k]! * 1e4) / 1e4,
      })),
    },
    render: {
      ...(p.defaults ? defaultsJson(p.defaults) : {}),
      bidx: p.style.bands.map((b) => b + 1),
      ...(p.style.rescale ? { rescale: p.style.rescale } : {}),
      resampling: p.style.resampling,
      query_parameters: {
        bidx: 'comma-separated 1-based bands: 1 (grey) or 3 (red,green,blue)',
        rescale: '"min,max" once for all bands, or once per band',
        resampling: '"nearest" or "bilinear"',
      },
    },
  };
}

/**
 * A map tile request as parsed from its URL: `…/{z}/{x}/{y}{@2x}.{png|webp|jpg}` plus the query
 * overrides `bidx=1,2,3`, `rescale=min,max` (once for all bands, or once per band) and `resampling`.
 */
import { AppError } from '../errors/app.error.js';
import type { StyleOverrides } from './render.style.js';
import { isValidTile, type TileAddress } from './tile.grid.js';

/** Encodings a tile can be asked for. */
export const TileFormats = ['png', 'webp', 'jpg'] as const;
export type TileFormat = (typeof TileFormats)[number];

/** Media type of each encoding. */
export const TileMediaType: Record<TileFormat, string> = { png: 'image/png', webp: 'image/webp', jpg: 'image/jpeg' };

/** A parsed tile request. */
export interface TileRequest extends TileAddress {
  /** 1 for 256-pixel tiles, 2 for 512-pixel `@2x` tiles */
  scale: 1 | 2;
  format: TileFormat;
  overrides: StyleOverrides;
}

/** Tile edge in pixels for a scale. */
export function tileSizeOf(scale: 1 | 2): number {
  return 256 * scale;
}

/** Parse `z`, `x` and the last segment `{y}{@2x}.{ext}`; 404 `not_found` for anything else. */
export function parseTileAddress(z: string, x: string, last: string): Omit<TileRequest, 'overrides'> {
  const m = /^(\d{1,10})(@2x)?\.(png|webp|jpg|jpeg)$/.exec(last);
  if (!m || !/^\d{1,3}$/.test(z) || !/^\d{1,10}$/.test(x)) throw new AppError('not_found', `No tile at ${z}/${x}/${last}: expected {z}/{x}/{y}[@2x].{png|webp|jpg}`);
  const addr = { z: Number(z), x: Number(x), y: Number(m[1]) };
  if (!isValidTile(addr)) throw new AppError('not_found', `Tile ${addr.z}/${addr.x}/${addr.y} is not in the XYZ grid`);
  const ext = m[3] === 'jpeg' ? 'jpg' : (m[3] as TileFormat);
  return { ...addr, scale: m[2] ? 2 : 1, format: ext };
}

type QueryValue = string | string[] | undefined;

function all(v: QueryValue): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/** Parse the style overrides of a tile URL's query; 422 `invalid_input` naming the bad parameter. */
export function parseOverrides(query: Record<string, QueryValue>): StyleOverrides {
  const out: StyleOverrides = {};
  const bidx = all(query.bidx).flatMap((s) => s.split(',')).filter((s) => s.trim() !== '');
  if (bidx.length > 0) {
    out.bidx = bidx.map((s) => {
      const n = Number(s);
      if (!Number.isInteger(n) || n < 1) throw new AppError('invalid_input', `bidx "${s}" is not a 1-based band number`, { issues: [{ loc: ['query', 'bidx'], msg: `"${s}" is not a band number`, type: 'value_error' }] });
      return n;
    });
  }
  const rescale = all(query.rescale).filter((s) => s.trim() !== '');
  if (rescale.length > 0) {
    out.rescale = rescale.map((s) => {
      const parts = s.split(',').map(Number);
      if (parts.length !== 2 || !parts.every(Number.isFinite) || parts[0]! >= parts[1]!) {
        throw new AppError('invalid_input', `rescale "${s}" must be "min,max" with min < max`, { issues: [{ loc: ['query', 'rescale'], msg: `"${s}" is not "min,max" with min < max`, type: 'value_error' }] });
      }
      return [parts[0]!, parts[1]!] as [number, number];
    });
  }
  const resampling = all(query.resampling)[0];
  if (resampling !== undefined) {
    if (resampling !== 'nearest' && resampling !== 'bilinear') throw new AppError('invalid_input', `resampling "${resampling}" must be "nearest" or "bilinear"`, { issues: [{ loc: ['query', 'resampling'], msg: 'must be nearest or bilinear', type: 'value_error' }] });
    out.resampling = resampling;
  }
  return out;
}

/** A canonical text of the overrides (for ETags and cache keys). */
export function overridesKey(o: StyleOverrides): string {
  return [o.bidx?.join(',') ?? '', o.rescale?.map((r) => r.join(',')).join(';') ?? '', o.resampling ?? ''].join('|');
}

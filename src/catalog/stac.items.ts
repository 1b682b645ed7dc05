/**
 * STAC Items under `catalog/items/<item_id>.json` of the file store; asset hrefs are relative to the item
 * file. An href must stay inside the data directory's layout (resolved as written, before links are
 * followed): an absolute path or a `../` walk out of it is not read (the asset has no `file`); an operator
 * who keeps the files elsewhere links them into the data directory. URLs (`https://…`) are never fetched.
 */
import path from 'node:path';
import { AppError } from '../errors/app.error.js';
import type { FileStore } from '../files/file.store.js';

export interface StacAsset {
  key: string;
  href: string;
  /** The asset's key in the file store (resolved against the item's own key); null when its href points outside the data directory */
  file: string | null;
  type: string | null;
  /** True for GeoTIFF assets (the ones that can be clipped) */
  isCog: boolean;
}

export interface StacItem {
  id: string;
  geometry: unknown;
  bbox: number[] | null;
  properties: Record<string, unknown>;
  assets: StacAsset[];
}

const TiffType = /image\/tiff|geotiff/i;
const ItemsDir = 'catalog/items';

/** The store key of an href relative to the items folder, or null when it is absolute or walks out of the data directory. */
export function assetKey(href: string): string | null {
  if (href.startsWith('/') || href.includes('\\')) return null;
  const key = path.posix.normalize(path.posix.join(ItemsDir, href));
  return key === '..' || key.startsWith('../') || key === '.' ? null : key;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A STAC Item file's text as a `StacItem`; `invalid_input` when it is not a JSON object. Asset hrefs resolve against the items folder. */
export function parseStacItem(text: string, id: string): StacItem {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new AppError('invalid_input', `Item "${id}" is not valid JSON: ${(err as Error).message}`);
  }
  if (!isObject(doc)) throw new AppError('invalid_input', `Item "${id}" is not a STAC Item (a JSON object)`);
  const assets = Object.entries(isObject(doc.assets) ? (doc.assets as Record<string, { href?: string; type?: string }>) : {}).flatMap(([key, a]) => {
    if (typeof a?.href !== 'string' || /^[a-z]+:\/\//i.test(a.href)) return [];
    const type = typeof a.type === 'string' ? a.type : null;
    return [{ key, href: a.href, file: assetKey(a.href), type, isCog: type ? TiffType.test(type) : /\.tiff?$/i.test(a.href) }];
  });
  return { id, geometry: doc.geometry ?? null, bbox: Array.isArray(doc.bbox) ? (doc.bbox as number[]) : null, properties: isObject(doc.properties) ? doc.properties : {}, assets };
}

export class StacItems {
  constructor(private readonly files: FileStore) {}

  /** An item by id, or 404 `item_not_found`. */
  async get(id: string): Promise<StacItem> {
    if (!/^[\w.-]+$/.test(id) || id.startsWith('.')) throw new AppError('item_not_found', `Item "${id}" does not exist`);
    const bytes = await this.files.read(`${ItemsDir}/${id}.json`);
    if (!bytes) throw new AppError('item_not_found', `Item "${id}" does not exist`);
    return parseStacItem(Buffer.from(bytes).toString('utf8'), id);
  }
}

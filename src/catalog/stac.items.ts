/** STAC Items under `catalog/items/<item_id>.json` of the file store; asset hrefs are relative to the item file. */
import path from 'node:path';
import { AppError } from '../errors/app.error.js';
import type { FileStore } from '../files/file.store.js';

export interface StacAsset {
  key: string;
  href: string;
  /** The asset's key in the file store (resolved against the item's own key) */
  file: string;
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

export class StacItems {
  constructor(private readonly files: FileStore) {}

  /** An item by id, or 404 `item_not_found`. */
  async get(id: string): Promise<StacItem> {
    if (!/^[\w.-]+$/.test(id) || id.startsWith('.')) throw new AppError('item_not_found', `Item "${id}" does not exist`);
    const bytes = await this.files.read(`${ItemsDir}/${id}.json`);
    if (!bytes) throw new AppError('item_not_found', `Item "${id}" does not exist`);
    let doc: Record<string, unknown>;
    try {
      doc = JSON.parse(Buffer.from(bytes).toString('utf8')) as Record<string, unknown>;
    } catch (err) {
      throw new AppError('invalid_input', `Item "${id}" is not valid JSON: ${(err as Error).message}`);
    }
    const assets = Object.entries((doc.assets ?? {}) as Record<string, { href?: string; type?: string }>).flatMap(([key, a]) => {
      if (typeof a?.href !== 'string' || /^[a-z]+:\/\//i.test(a.href)) return [];
      const file = a.href.startsWith('/') ? a.href : path.posix.normalize(path.posix.join(ItemsDir, a.href));
      const type = typeof a.type === 'string' ? a.type : null;
      return [{ key, href: a.href, file, type, isCog: type ? TiffType.test(type) : /\.tiff?$/i.test(a.href) }];
    });
    return { id, geometry: doc.geometry ?? null, bbox: Array.isArray(doc.bbox) ? (doc.bbox as number[]) : null, properties: (doc.properties ?? {}) as Record<string, unknown>, assets };
  }
}

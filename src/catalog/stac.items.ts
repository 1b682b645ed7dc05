/**
 * STAC Items under `$GEOPERA_DATA_DIR/catalog/items/<item_id>.json`; asset hrefs are relative to the item
 * file. An href must stay inside the data directory (resolved as written, before links are followed):
 * an absolute path or a `../` walk out of it is not read (the asset has no `path`); an operator who
 * keeps the files elsewhere links them into the data directory. URLs (`https://…`) are never fetched.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors/app.error.js';

export interface StacAsset {
  key: string;
  href: string;
  /** Absolute path of a local asset; null when its href points outside the data directory */
  path: string | null;
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

export class StacItems {
  readonly dir: string;

  constructor(private readonly dataDir: string) {
    this.dir = path.join(dataDir, 'catalog', 'items');
  }

  /** The absolute path of an href when it lies inside the data directory, else null. */
  private local(href: string): string | null {
    const abs = path.resolve(this.dir, href);
    const rel = path.relative(this.dataDir, abs);
    return rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? null : abs;
  }

  /** An item by id, or 404 `item_not_found`. */
  async get(id: string): Promise<StacItem> {
    if (!/^[\w.-]+$/.test(id) || id.startsWith('.')) throw new AppError('item_not_found', `Item "${id}" does not exist`);
    const file = path.join(this.dir, `${id}.json`);
    let doc: Record<string, unknown>;
    try {
      doc = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new AppError('item_not_found', `Item "${id}" does not exist`);
      throw new AppError('invalid_input', `Item "${id}" is not valid JSON: ${(err as Error).message}`);
    }
    const assets = Object.entries((doc.assets ?? {}) as Record<string, { href?: string; type?: string }>).flatMap(([key, a]) => {
      if (typeof a?.href !== 'string' || /^[a-z]+:\/\//i.test(a.href)) return [];
      const type = typeof a.type === 'string' ? a.type : null;
      return [{ key, href: a.href, path: this.local(a.href), type, isCog: type ? TiffType.test(type) : /\.tiff?$/i.test(a.href) }];
    });
    return { id, geometry: doc.geometry ?? null, bbox: Array.isArray(doc.bbox) ? (doc.bbox as number[]) : null, properties: (doc.properties ?? {}) as Record<string, unknown>, assets };
  }
}

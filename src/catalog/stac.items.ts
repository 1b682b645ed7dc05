/** STAC Items under `$GEOPERA_DATA_DIR/catalog/items/<item_id>.json`; asset hrefs are relative to the item file. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors/app.error.js';

export interface StacAsset {
  key: string;
  href: string;
  /** Absolute path of a local asset */
  path: string;
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

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'catalog', 'items');
  }

  /** An item by id, or 404 `item_not_found`. */
  async get(id: string): Promise<StacItem> {
    if (!/^[\w.-]+$/.test(id) || id.startsWith('.')) throw new AppError('item_not_found', `Item "${id}" does not exist`);
    const file = path.join(this.dir, `${id}.json`);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new AppError('item_not_found', `Item "${id}" does not exist`);
      throw new AppError('invalid_input', `Item "${id}" cannot be read (${code ?? 'error'})`);
    }
    return parseStacItem(text, file, id);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A STAC Item file's text as a `StacItem`; `invalid_input` when it is not a JSON object. Asset hrefs resolve against `file`. */
export function parseStacItem(text: string, file: string, id: string): StacItem {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new AppError('invalid_input', `Item "${id}" is not valid JSON: ${(err as Error).message}`);
  }
  if (!isObject(doc)) throw new AppError('invalid_input', `Item "${id}" is not a STAC Item (a JSON object)`);
  const assets = Object.entries(isObject(doc.assets) ? (doc.assets as Record<string, { href?: string; type?: string }>) : {}).flatMap(([key, a]) => {
    if (typeof a?.href !== 'string' || /^[a-z]+:\/\//i.test(a.href)) return [];
    const abs = path.resolve(path.dirname(file), a.href);
    const type = typeof a.type === 'string' ? a.type : null;
    return [{ key, href: a.href, path: abs, type, isCog: type ? TiffType.test(type) : /\.tiff?$/i.test(a.href) }];
  });
  return { id, geometry: doc.geometry ?? null, bbox: Array.isArray(doc.bbox) ? (doc.bbox as number[]) : null, properties: isObject(doc.properties) ? doc.properties : {}, assets };
}

/** The files of areas, from listings of `areas/` in the file store, and a signature that changes when any of them changes. */
import type { FileStore, StoredFile } from '../files/file.store.js';

export interface AreaFiles {
  id: string;
  /** mosaic type → its COG */
  mosaics: Map<string, StoredFile>;
  areaJson: StoredFile | undefined;
  captureDates: StoredFile | undefined;
  /** Changes when any of these files is added, removed or replaced */
  signature: string;
}

const MosaicName = /^mosaics\/([^/]+)\.(tif|tiff)$/i;
const AreaId = /^[\w.-]+$/;

/** Whether an area id is one the catalog serves (no path tricks, no hidden names). */
export function isAreaId(id: string): boolean {
  return AreaId.test(id) && !id.startsWith('.');
}

/** An area's files from its entries (keys `areas/<id>/…`). */
function areaFilesOf(id: string, entries: StoredFile[]): AreaFiles {
  const base = `areas/${id}/`;
  const mosaics = new Map<string, StoredFile>();
  let areaJson: StoredFile | undefined;
  let captureDates: StoredFile | undefined;
  const sigs: string[] = [];
  for (const f of entries) {
    const rel = f.key.slice(base.length);
    const m = MosaicName.exec(rel);
    if (m) mosaics.set(m[1]!, f);
    else if (rel === 'area.json') areaJson = f;
    else if (rel === 'capture_dates.geojson') captureDates = f;
    else continue;
    sigs.push(`${rel}=${f.version}`);
  }
  return { id, mosaics, areaJson, captureDates, signature: sigs.join('|') };
}

/** Every area with at least one file, sorted by id: one listing of `areas/`. */
export async function listAreaFiles(files: FileStore): Promise<AreaFiles[]> {
  const byId = new Map<string, StoredFile[]>();
  for (const f of await files.list('areas/', 3)) {
    const id = f.key.split('/')[1]!;
    if (!isAreaId(id)) continue;
    const list = byId.get(id) ?? [];
    list.push(f);
    byId.set(id, list);
  }
  return [...byId.keys()].sort().map((id) => areaFilesOf(id, byId.get(id)!));
}

/** One area's files, or undefined when it has none. */
export async function readAreaFiles(files: FileStore, id: string): Promise<AreaFiles | undefined> {
  if (!isAreaId(id)) return undefined;
  const entries = await files.list(`areas/${id}/`, 2);
  return entries.length > 0 ? areaFilesOf(id, entries) : undefined;
}

/** A stored GeoTIFF's headers as a `RasterInfo`, read through the file store (named by its key in every message). */
import { readRasterInfo } from '../raster/read/raster.open.js';
import type { RasterInfo } from '../raster/raster.types.js';
import type { FileStore, StoredFile } from './file.store.js';

/** Read the headers of `key` (`known` from a listing pins the version and saves a lookup). */
export async function storedRasterInfo(files: FileStore, key: string, known?: StoredFile): Promise<RasterInfo> {
  const source = await files.openSource(key, known);
  try {
    return await readRasterInfo(source);
  } finally {
    await source.close();
  }
}

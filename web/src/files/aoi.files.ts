/**
 * AOI files read in the browser, nothing fetched: GeoJSON, KML, KMZ (zipped KML) and zipped Shapefiles
 * (reprojected from their .prj). The parsers load on demand, only when such a file is chosen.
 */
import { readAoi, readAoiText, type ReadAoi } from '../state/aoi.check.js';

/** What the file input accepts. */
export const AoiFileTypes = '.geojson,.json,.kml,.kmz,.zip';

async function fromKml(text: string): Promise<ReadAoi> {
  const { kml } = await import('@tmcw/togeojson');
  const doc = new DOMParser().parseFromString(text, 'text/xml');
  if (doc.getElementsByTagName('parsererror').length > 0) throw new Error('The KML file is not valid XML');
  return readAoi(kml(doc));
}

async function fromKmz(bytes: Uint8Array): Promise<ReadAoi> {
  const { unzipSync, strFromU8 } = await import('fflate');
  const files = unzipSync(bytes, { filter: (f) => f.name.toLowerCase().endsWith('.kml') });
  const names = Object.keys(files).sort((a, b) => (a.toLowerCase() === 'doc.kml' ? -1 : b.toLowerCase() === 'doc.kml' ? 1 : a.localeCompare(b)));
  if (names.length === 0) throw new Error('The KMZ file holds no .kml document');
  return fromKml(strFromU8(files[names[0]!]!));
}

async function fromShapefileZip(bytes: ArrayBuffer): Promise<ReadAoi> {
  const { parseZip } = await import('shpjs');
  const parsed = await parseZip(bytes);
  const collections = Array.isArray(parsed) ? parsed : [parsed];
  return readAoi({ type: 'FeatureCollection', features: collections.flatMap((c) => (c as { features?: unknown[] }).features ?? []) });
}

/** Read an AOI from a chosen file, by its extension. Errors are in words. */
export async function readAoiFile(file: File): Promise<ReadAoi> {
  const name = file.name.toLowerCase();
  try {
    if (name.endsWith('.kml')) return await fromKml(await file.text());
    if (name.endsWith('.kmz')) return await fromKmz(new Uint8Array(await file.arrayBuffer()));
    if (name.endsWith('.zip')) return await fromShapefileZip(await file.arrayBuffer());
    return readAoiText(await file.text());
  } catch (err) {
    throw new Error(`${file.name}: ${(err as Error).message}`);
  }
}

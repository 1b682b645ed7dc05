/**
 * Clip one GeoTIFF to an AOI with the raster engine directly (no server):
 *   node --import tsx scripts/clip.ts SOURCE.tif AOI.geojson OUT.tif
 * Prints the result (size, sha256, tiles inside/boundary/outside/passthrough) and the wall time.
 */
import { readFileSync } from 'node:fs';
import { clipToCog } from '../src/raster/clip/clip.run.js';

const [src, aoiFile, out] = process.argv.slice(2);
if (!src || !aoiFile || !out) {
  process.stderr.write('usage: node --import tsx scripts/clip.ts SOURCE.tif AOI.geojson OUT.tif\n');
  process.exit(1);
}
const started = performance.now();
const result = await clipToCog(src, JSON.parse(readFileSync(aoiFile, 'utf8')) as unknown, out);
process.stdout.write(`${JSON.stringify({ ...result, ms: Math.round(performance.now() - started) })}\n`);

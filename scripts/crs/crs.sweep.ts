/**
 * `npm run crs:sweep [-- --codes 31256,5514] [--at 0.25,0.75] [--grids] [--json FILE]`: every current EPSG projected and
 * geographic 2D CRS GDAL knows, our WGS 84 bounds against gdalinfo's (see crs.sweep.lib.ts). Prints the
 * number agreeing within a tenth of a pixel, the number refused with `unsupported_crs` by projection
 * method, and every disagreement. Exits 1 when any CRS is placed wrongly or agreement is under 99 %.
 * `--at FX,FY` puts each raster at those fractions of the area of use (from its south-west corner) instead of its
 * centre. `--grids` also reports where the grid files installed on this machine would move a CRS.
 */
import { writeFileSync } from 'node:fs';
import { registryVersion } from '../../src/raster/geo/crs.registry.js';
import { gridShifts, sweep, type SweepResult } from './crs.sweep.lib.js';

const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const codes = flag('--codes')?.split(',').map(Number);
const jsonOut = flag('--json');

const started = process.hrtime.bigint();
const at = flag('--at')?.split(',').map(Number) as [number, number] | undefined;
const results = await sweep(codes, at ? { at } : {});
const seconds = Number(process.hrtime.bigint() - started) / 1e9;

const by = (o: SweepResult['outcome']): SweepResult[] => results.filter((r) => r.outcome === o);
const agree = by('agree');
const refused = by('refused');
const disagree = by('disagree');
const gdalFails = by('gdal-fails');
const pct = (n: number): string => `${((100 * n) / results.length).toFixed(2)} %`;

console.log(`EPSG sweep: ${results.length} CRSs (${registryVersion()}; GDAL without grid files), ${seconds.toFixed(1)} s`);
console.log(`  agree within a tenth of a pixel: ${agree.length} (${pct(agree.length)})`);
console.log(`  refused with unsupported_crs:    ${refused.length} (${pct(refused.length)})`);
const methods = new Map<string, SweepResult[]>();
for (const r of refused) methods.set(r.method, [...(methods.get(r.method) ?? []), r]);
for (const [method, rs] of [...methods].sort((a, b) => b[1].length - a[1].length)) {
  console.log(`    ${String(rs.length).padStart(4)}  ${method}: ${rs.slice(0, 8).map((r) => r.code).join(', ')}${rs.length > 8 ? ', …' : ''}`);
}
console.log(`  GDAL cannot place either (and we accept): ${gdalFails.length}`);
for (const r of gdalFails) console.log(`    EPSG:${r.code} ${r.name} [${r.method}]: ${r.message}`);
console.log(`  disagree (placed wrongly): ${disagree.length}`);
for (const r of disagree) {
  console.log(`    EPSG:${r.code} ${r.name} [${r.method}, ${r.unit}]: off by ${r.offMetres?.toFixed(3)} m (tolerance ${r.toleranceMetres?.toFixed(3)} m)`);
}
if (argv.includes('--grids')) {
  const shifts = await gridShifts(codes);
  console.log(`  grid files on this machine move ${shifts.size} CRSs (PROJ with grids vs without):`);
  for (const [code, s] of [...shifts].sort((a, b) => b[1].metres - a[1].metres)) console.log(`    EPSG:${code} ${s.name}: ${s.metres.toFixed(2)} m`);
}
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(results, null, 1));
const ok = disagree.length === 0 && gdalFails.length === 0 && agree.length >= 0.99 * results.length;
process.exit(ok ? 0 : 1);

import proj4 from 'proj4';
import { crsForEpsg } from '../../src/raster/geo/crs.epsg.ts';
const code = Number(process.argv[2]);
const c = crsForEpsg(code);
console.log(c);
const [x, y] = process.argv.slice(3).map(Number);
console.log(proj4(c.proj4, 'EPSG:4326', [x, y]));

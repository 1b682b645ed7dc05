/**
 * Seeds of the JSON and header fuzz targets (aoi, body, range, token, catalog), from the repo's own
 * fixtures and sample data: `node --import tsx scripts/fuzz/make.seeds.ts`. The tiff seeds are made by
 * make_tiff_seeds.py (GDAL) and forge.seeds.ts. Deterministic; overwrites `seed-*` files only.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UrlSigner } from '../../src/auth/url.signer.js';
import { CorpusRoot } from '../../test/fuzz/fuzz.target.js';
import { OperationList } from '../../src/operations/registry.js';

function write(target: string, name: string, data: string | Uint8Array): void {
  const dir = path.join(CorpusRoot, target);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `seed-${name}`), data);
}

const aoiDir = path.join('test', 'fixtures', 'aoi');
const aois = readdirSync(aoiDir).filter((f) => f.endsWith('.geojson')).sort();
for (const f of aois) write('aoi', f.replace('.geojson', ''), readFileSync(path.join(aoiDir, f)));

const polygon = JSON.parse(readFileSync(path.join(aoiDir, '3857_rect_inside.geojson'), 'utf8')) as unknown;
const opIndex = (id: string): number => OperationList.findIndex((o) => o.id === id);
const bodies: Record<string, unknown> = {
  'clip.create_from_area': { area: 'demo-valley', mosaic_types: ['visual'], organization_id: 'acme', aoi_geometry: polygon, aoi_name: 'field' },
  'clip.create_from_item': { source_item_id: 'demo-valley-2025', asset_keys: ['visual'], aoi_geometry: polygon, project_id: null },
  'clip.jobs.list': { organization_id: 'acme', status: 'completed', limit: 5000, offset: -3 },
  'clip.job.download': { job_id: 'job_x', mosaic_type: 'visual', user_agent: 'ua', requester_ip: null },
  'clip.job.tile_info': { job_id: 'job_x', mosaic_type: null },
  'clip.area.metadata': { area: 'demo-valley' },
};
for (const [id, body] of Object.entries(bodies)) write('body', id, Buffer.concat([Buffer.of(opIndex(id)), Buffer.from(JSON.stringify(body))]));
write('body', 'empty', Buffer.of(opIndex('clip.areas.list')));

const le32 = (n: number): Buffer => { const b = Buffer.alloc(4); b.writeUInt32LE(n); return b; };
const ranges: [number, string, string][] = [[1000, 'bytes=0-99', ''], [1000, 'bytes=-100', 'E'], [1000, 'bytes=900-', 'W/"x"'], [0, 'bytes=0-0', ''], [1000, 'bytes=5-3', ''], [1000, 'bytes=0-1,5-9', '']];
ranges.forEach(([size, range, ifRange], i) => write('range', String(i), Buffer.concat([le32(size), Buffer.from(`${range}\0${ifRange}`, 'latin1')])));

const signer = new UrlSigner('fuzz-url-secret-0123456789abcdef');
const token = signer.sign({ purpose: 'dl', orgId: 'acme', jobId: 'job_abc', subject: 'visual', keyId: 'key_x', exp: 1_767_225_900 });
const tileToken = signer.sign({ purpose: 'tile', orgId: 'acme', jobId: 'job_abc', subject: '', keyId: 'key_x', exp: 1_767_225_900 });
write('token', 'download', [token, 'job_abc', 'visual', '15', '32412', '20123.png', ''].join('\0'));
write('token', 'tile', [tileToken, 'job_abc', 'visual', '3', '7', '5@2x.webp', 'bidx=3,2,1&rescale=0,255&resampling=bilinear'].join('\0'));

write('catalog', 'stac-item', readFileSync(path.join('data', 'catalog', 'items', 'demo-valley-2025.json')));
write('catalog', 'capture-dates', readFileSync(path.join('data', 'areas', 'demo-valley', 'capture_dates.geojson')));
console.log('seeds written under', CorpusRoot);

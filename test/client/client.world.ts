/**
 * A live geopera for the client tests: the repository's sample area when it is there, otherwise an area
 * made in the test's data directory from one real COG of `../shared/fixtures/real` (a Sentinel-2 TCI
 * tile as mosaic type `visual`, a dated footprint, a STAC Item over the same file).
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { hasRealFixtures, realFixturesDir, repoRoot } from '../support/gdal.js';
import { aoiInside, startTestServer, type TestServer } from '../support/harness.js';

export interface ClientWorld {
  t: TestServer;
  /** The org of `t.key` */
  orgId: string;
  area: string;
  mosaicTypes: string[];
  /** A small AOI inside the area (EPSG:4326 Polygon) */
  aoi: Record<string, unknown>;
  itemId: string;
}

const FixtureCog = 's2_tci_utm34n_deflate_cog.tif';

/** Whether `data/` holds a ready sample area (mosaics and capture dates) and a STAC Item. */
function sampleItemId(): string | undefined {
  const areas = path.join(repoRoot, 'data', 'areas');
  const items = path.join(repoRoot, 'data', 'catalog', 'items');
  if (!existsSync(areas) || !existsSync(items)) return undefined;
  const ready = readdirSync(areas).some((a) => existsSync(path.join(areas, a, 'capture_dates.geojson'))
    && existsSync(path.join(areas, a, 'mosaics')) && readdirSync(path.join(areas, a, 'mosaics')).some((f) => f.endsWith('.tif')));
  const item = readdirSync(items).find((f) => f.endsWith('.json'));
  return ready && item ? item.replace(/\.json$/, '') : undefined;
}

/** Why the client end-to-end tests cannot run, or false. */
export const worldSkip: string | false = sampleItemId() || hasRealFixtures ? false : 'no sample data in data/ and no ../shared/fixtures/real';

async function makeFixtureArea(dataDir: string): Promise<string> {
  const cog = path.join(realFixturesDir, FixtureCog);
  const areaDir = path.join(dataDir, 'areas', 'tci-test');
  await mkdir(path.join(areaDir, 'mosaics'), { recursive: true });
  await symlink(cog, path.join(areaDir, 'mosaics', 'visual.tif'));
  await writeFile(path.join(areaDir, 'area.json'), JSON.stringify({ title: 'Sentinel-2 TCI test area' }));
  const itemsDir = path.join(dataDir, 'catalog', 'items');
  await mkdir(itemsDir, { recursive: true });
  await writeFile(path.join(itemsDir, 'tci-item.json'), JSON.stringify({
    type: 'Feature', stac_version: '1.0.0', id: 'tci-item', geometry: null, properties: { datetime: '2024-05-01T10:00:00Z' },
    assets: { visual: { href: path.relative(itemsDir, cog), type: 'image/tiff; application=geotiff; profile=cloud-optimized' } },
  }));
  return 'tci-item';
}

async function writeCaptureDates(dataDir: string, area: string, bounds: [number, number, number, number]): Promise<void> {
  const [w, s, e, n] = bounds;
  const poly = (x0: number, x1: number) => ({ type: 'Polygon', coordinates: [[[x0, s], [x1, s], [x1, n], [x0, n], [x0, s]]] });
  await writeFile(path.join(dataDir, 'areas', area, 'capture_dates.geojson'), JSON.stringify({
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', geometry: poly((w + e) / 2, e), properties: { capture_date: '2024-05-03', mosaic_type: 'visual' } },
      { type: 'Feature', geometry: poly(w, (w + e) / 2), properties: { capture_date: '2024-05-01', mosaic_type: 'visual' } },
    ],
  }));
}

/** Start the server and find (or make) an area to clip. */
export async function startClientWorld(opts: { env?: Record<string, string> } = {}): Promise<ClientWorld> {
  const sample = sampleItemId();
  const t = await startTestServer({ env: opts.env, linkSampleData: sample !== undefined });
  const itemId = sample ?? await makeFixtureArea(t.dataDir);
  const res = await t.op('clip.areas.list', {});
  if (res.status !== 200) throw new Error(`clip.areas.list answered ${res.status}: ${await res.text()}`);
  const areas = ((await res.json()) as { items: { id: string; bounds: [number, number, number, number] | null; mosaic_types: string[]; error?: string }[] }).items;
  const area = areas.find((a) => a.bounds && a.mosaic_types.length > 0 && !a.error);
  if (!area?.bounds) throw new Error(`no usable area: ${JSON.stringify(areas)}`);
  if (!sample) await writeCaptureDates(t.dataDir, area.id, area.bounds);
  return { t, orgId: 'acme', area: area.id, mosaicTypes: area.mosaic_types, aoi: aoiInside(area.bounds, 0.2), itemId };
}

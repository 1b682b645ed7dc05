/**
 * Messages that reach users name files by their key under the data directory (or the bucket prefix),
 * never by the server's layout: an area's `error`, a mosaic's error, a failed job's `error.message`.
 * On the local data directory and, in npm test's second pass, on S3.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openRaster } from '../../src/raster/read/raster.open.js';
import { repoRoot } from '../support/gdal.js';
import { aoiInside, startTestServer, waitForJob, type TestServer } from '../support/harness.js';

const sample = path.join(repoRoot, 'data/areas/demo-valley/mosaics/visual.tif');

describe('file names in messages', () => {
  let t: TestServer;
  /** Strings that would give the server's layout away. */
  let serverPaths: string[];
  before(async () => {
    t = await startTestServer({ linkSampleData: false });
    serverPaths = [t.dataDir, repoRoot, os.tmpdir(), '/work', '/home'];
    const bytes = await readFile(sample);
    // A COG whose headers read but whose full-resolution tiles are garbage: a job over it fails while clipping.
    const info = await openRaster(sample);
    const garbled = Buffer.from(bytes);
    const l0 = info.levels[0]!;
    for (let i = 0; i < l0.offsets.length; i++) garbled.fill(0x55, Number(l0.offsets[i]), Number(l0.offsets[i]) + Number(l0.byteCounts[i]));
    await t.files.store.put('areas/garbled/mosaics/visual.tif', garbled);
    // A truncated COG: its headers do not read, so the area lists with an error.
    await t.files.store.put('areas/truncated/mosaics/visual.tif', bytes.subarray(0, 200));
  });
  after(() => t.close());

  const assertNoServerPath = (text: string): void => {
    for (const p of serverPaths) assert.ok(!text.includes(p), `"${text}" shows the server path ${p}`);
  };

  it('an area whose mosaic cannot be read: its error names areas/<area>/mosaics/<file>', async () => {
    const res = await t.op('clip.areas.list', {});
    const { items } = (await res.json()) as { items: { id: string; error?: string }[] };
    const broken = items.find((a) => a.id === 'truncated')!;
    assert.match(broken.error ?? '', /^areas\/truncated\/mosaics\/visual\.tif: /);
    assertNoServerPath(broken.error!);
    const mosaics = (await (await t.op('clip.area.mosaics', { area: 'truncated' })).json()) as { items: { error?: string }[] };
    assert.match(mosaics.items[0]!.error ?? '', /^areas\/truncated\/mosaics\/visual\.tif: /);
    const create = (await (await t.op('clip.create_from_area', { area: 'truncated', mosaic_types: ['visual'], aoi_geometry: aoiInside([172.18, -43.67, 172.19, -43.66]), organization_id: 'acme' })).json()) as { detail: unknown; code: string };
    assert.equal(create.code, 'invalid_tiff');
    assertNoServerPath(JSON.stringify(create));
  });

  it('a job that fails while clipping: its error message names the mosaic by its key', async () => {
    const aoi = aoiInside([172.1799827, -43.6733194, 172.1983802, -43.6600112], 0.02);
    const res = await t.op('clip.create_from_area', { area: 'garbled', mosaic_types: ['visual'], aoi_geometry: aoi, organization_id: 'acme' });
    assert.equal(res.status, 200);
    const { job } = (await res.json()) as { job: { id: string } };
    const done = (await waitForJob(t, job.id)) as { status: string; error?: { code: string; message: string } };
    assert.equal(done.status, 'failed', JSON.stringify(done));
    assert.equal(done.error?.code, 'invalid_tiff');
    assert.match(done.error?.message ?? '', /^areas\/garbled\/mosaics\/visual\.tif level 0 tile \d+,\d+: /);
    assertNoServerPath(done.error!.message);
  });
});

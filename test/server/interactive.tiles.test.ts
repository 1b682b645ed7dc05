/**
 * A map tile being drawn counts as interactive work (clips keep fewer tiles in flight meanwhile); a tile
 * answered from the encoded-tile cache does not, so a client re-reading cached tiles never slows clips.
 * Watched on a real server: the count is read between every turn of its event loop while a request runs.
 */
import assert from 'node:assert/strict';
import { setImmediate as turn } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { tileForLonLat } from '../../src/tiles/tile.grid.js';
import { startTestServer, type TestServer } from '../support/harness.js';

let t: TestServer;
let tileUrl: string;

/** GET `url` with the test key; the highest interactive count seen while it ran, and its status. */
async function watched(url: string): Promise<{ status: number; most: number }> {
  const load = t.runtime.services.interactive!;
  let most = 0;
  let settled = false;
  const res = fetch(url, { headers: { authorization: `Bearer ${t.key}` } }).then(async (r) => {
    await r.arrayBuffer();
    return r;
  }).finally(() => { settled = true; });
  while (!settled) {
    most = Math.max(most, load.inFlight());
    await turn();
  }
  return { status: (await res).status, most };
}

describe('map tiles and the interactive count', () => {
  before(async () => {
    t = await startTestServer();
    const doc = (await (await fetch(`${t.url}/v1/tiles/areas/demo-valley/visual/tilejson.json`, { headers: { authorization: `Bearer ${t.key}` } })).json()) as { bounds: [number, number, number, number]; maxzoom: number; tiles: string[] };
    const [w, s, e, n] = doc.bounds;
    const centre = tileForLonLat((w + e) / 2, (s + n) / 2, doc.maxzoom);
    tileUrl = doc.tiles[0]!.replace('{z}', String(centre.z)).replace('{x}', String(centre.x)).replace('{y}', String(centre.y));
  });
  after(() => t?.close());

  it('counts a tile while it is drawn', async () => {
    assert.equal(t.runtime.services.interactive!.inFlight(), 0);
    const drawn = await watched(tileUrl);
    assert.equal(drawn.status, 200);
    assert.equal(drawn.most, 1);
    assert.equal(t.runtime.services.interactive!.inFlight(), 0, 'and no longer once it is answered');
  });

  it('does not count a tile answered from the encoded-tile cache', async () => {
    const cached = await watched(tileUrl);
    assert.equal(cached.status, 200);
    assert.equal(cached.most, 0);
  });
});

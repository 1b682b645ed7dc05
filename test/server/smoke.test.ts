/** Start the built server as a child process (as `npm start` does), wait for `listening on`, call it, stop it. */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { generateApiKey } from '../../src/auth/api.key.js';
import { nativeCodecs } from '../../src/raster/native/codecs.native.js';
import { tileForLonLat } from '../../src/tiles/tile.grid.js';
import { startChildServer } from '../support/child.server.js';
import { repoRoot } from '../support/gdal.js';

const built = path.join(repoRoot, 'dist/src/cli/main.js');

describe('server smoke test', () => {
  it('starts (its clip thread warmed up first), prints its URL, serves /healthz, an operation and a map tile with the bootstrap key, stops on SIGTERM', { skip: existsSync(built) ? false : 'run `npm run build` first', timeout: 60_000 }, async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'geopera-smoke-'));
    await symlink(path.join(repoRoot, 'data/areas'), path.join(dataDir, 'areas'));
    const key = generateApiKey();
    const server = await startChildServer({ GEOPERA_DATA_DIR: dataDir, GEOPERA_BOOTSTRAP_KEY: key, GEOPERA_WORKERS: '1', GEOPERA_LOG_LEVEL: 'info' }, { built: true });
    const { url, child, exited } = server;
    try {
      // Before it listened, the clip thread was warmed up by a clip with inside and boundary tiles, which left nothing behind.
      // (The log's lines may reach stdout after the `listening on` line: wait for the Server:Listening one.)
      for (let i = 0; i < 500 && !server.output().includes('"msg":"Server:Listening"'); i++) await new Promise((r) => setTimeout(r, 10));
      const lines = server.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { msg: string; tiles?: Record<string, number>; overviews?: number; mallocArenas?: number | null });
      const warm = lines.findIndex((l) => l.msg === 'ClipPool:WarmedUp');
      assert.ok(warm >= 0 && warm < lines.findIndex((l) => l.msg === 'Server:Listening'), `warmed up before listening: ${server.output()}`);
      assert.deepEqual([lines[warm]!.tiles!.inside, lines[warm]!.tiles!.boundary, lines[warm]!.tiles!.passthrough, lines[warm]!.overviews], [4, 12, 4, 2]);
      assert.equal(existsSync(path.join(dataDir, '.warmup')), false);
      // bin/geopera.js had malloc share 2 arenas among its threads (where glibc and the codec addon are).
      const arenas = lines.find((l) => l.msg === 'Server:Listening')!.mallocArenas;
      if (nativeCodecs && nativeCodecs.mallocArenas() > 0) assert.ok(arenas !== undefined && arenas !== null && arenas >= 1 && arenas <= 2, `malloc arenas: ${arenas}`);
      // …and a map tile render thread started: /metrics counts it before any tile was asked for.
      assert.match(await (await fetch(`${url}/metrics`)).text(), /^geopera_tile_threads 1$/m);
      assert.equal((await fetch(`${url}/healthz`)).status, 200);
      const res = await fetch(`${url}/v1/op/clip.areas.list`, { method: 'POST', headers: { 'x-api-key': key } });
      assert.equal(res.status, 200);
      // A map tile, rendered by the built tile worker threads.
      const tj = (await (await fetch(`${url}/v1/tiles/areas/demo-valley/visual/tilejson.json`, { headers: { 'x-api-key': key } })).json()) as { tiles: string[]; center: [number, number, number] };
      const [lon, lat, z] = tj.center;
      const t = tileForLonLat(lon, lat, z);
      const tile = await fetch(tj.tiles[0]!.replace('{z}', String(t.z)).replace('{x}', String(t.x)).replace('{y}', String(t.y)));
      assert.equal(tile.status, 200);
      assert.equal(tile.headers.get('content-type'), 'image/png');
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    } finally {
      child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

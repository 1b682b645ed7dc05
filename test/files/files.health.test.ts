/**
 * `/healthz` checks the file store as well as the database and the pools: on S3 one listing of at most one
 * key under the prefix, given up after a short timeout, so a load balancer takes a node whose object store
 * is out of reach out of rotation; on disk, that the data directory can be read. A health check starts
 * nothing (no render thread). The world's own store in each pass (local disk, then Ceph RGW).
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { s3TestSettings } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/harness.js';

type Health = { status: string; database: boolean; workers: boolean; files: boolean };

async function health(t: TestServer): Promise<{ status: number; body: Health }> {
  const res = await fetch(`${t.url}/healthz`);
  return { status: res.status, body: (await res.json()) as Health };
}

describe('/healthz and the file store', { timeout: 120_000 }, () => {
  let t: TestServer;
  before(async () => { t = await startTestServer({ linkSampleData: false }); });
  after(() => t?.close());

  it(`answers 200 with files: true when the store answers (${process.env.GEOPERA_TEST_FILES === 's3' ? 'S3' : 'local disk'}), and starts no render thread`, async () => {
    const calls = t.runtime.files.calls?.ListObjectsV2Command ?? 0;
    const { status, body } = await health(t);
    assert.equal(status, 200, JSON.stringify(body));
    assert.deepEqual(body, { status: 'ok', database: true, workers: true, files: true });
    if (t.files.kind === 's3') assert.equal(t.runtime.files.calls!.ListObjectsV2Command, calls + 1, 'one listing a check');
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    assert.match(metrics, /^geopera_tile_threads 0$/m);
  });

  describe('an object store that does not answer', () => {
    // A port that accepts connections and never says a word: the check must give up by itself.
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => sockets.add(socket));
    let s: TestServer;
    before(async () => {
      await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
      const { port } = silent.address() as net.AddressInfo;
      s = await startTestServer({ linkSampleData: false, env: {
        GEOPERA_STORAGE_URL: 's3://geopera-nowhere/x', AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${port}`, AWS_ACCESS_KEY_ID: 'k', AWS_SECRET_ACCESS_KEY: 's',
      } });
    });
    after(async () => {
      await s?.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((r) => silent.close(r));
    });

    it('answers 503 with files: false after its short timeout (the database and pools still answer)', async () => {
      const [a, b] = await Promise.all([health(s), health(s)]);
      for (const { status, body } of [a, b]) {
        assert.equal(status, 503);
        assert.deepEqual(body, { status: 'unavailable', database: true, workers: true, files: false });
      }
    });
  });

  it('answers 503 with files: false for a bucket that does not exist on the S3 server', { skip: s3TestSettings() ? false : 'needs the S3 server of npm test\'s second pass' }, async () => {
    const settings = s3TestSettings()!;
    const s = await startTestServer({ linkSampleData: false, env: {
      GEOPERA_STORAGE_URL: 's3://geopera-no-such-bucket/x', AWS_ENDPOINT_URL_S3: settings.endpoint, AWS_ACCESS_KEY_ID: settings.accessKeyId, AWS_SECRET_ACCESS_KEY: settings.secretAccessKey,
    } });
    try {
      const { status, body } = await health(s);
      assert.equal(status, 503);
      assert.equal(body.files, false);
    } finally {
      await s.close();
    }
  });
});

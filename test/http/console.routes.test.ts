/** The console's routes: the page at `/` with a self-only CSP, hashed assets (`.mjs` as JavaScript, gzip), and no fallback. */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { consoleCsp, renderIndex } from '../../src/http/console.routes.js';
import { repoRoot } from '../support/gdal.js';
import { startTestServer, type TestServer } from '../support/harness.js';

const assets = path.join(repoRoot, 'dist/web/assets');
const built = existsSync(path.join(repoRoot, 'dist/web/index.html')) ? false : 'the console is not built (npm run build)';

describe('console routes', { skip: built }, () => {
  let t: TestServer;
  before(async () => { t = await startTestServer({ linkSampleData: false }); });
  after(() => t.close());

  it('serves the page at / with a CSP that allows only this server and no framing', async () => {
    const res = await fetch(`${t.url}/`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /^text\/html/);
    const csp = res.headers.get('content-security-policy')!;
    assert.equal(csp, consoleCsp(undefined));
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /script-src 'self';/);
    assert.doesNotMatch(csp, /https?:|unsafe-inline|unsafe-eval|\*/);
    assert.equal(res.headers.get('x-frame-options'), 'DENY');
    const html = await res.text();
    assert.match(html, /<meta name="geopera-basemap" content="">/);
    for (const m of html.matchAll(/(?:src|href)="([^"]+)"/g)) assert.match(m[1]!, /^\/assets\//, `${m[1]} is served from this server`);
  });

  it('serves the MapLibre worker .mjs as JavaScript, gzipped when asked, cached for ever', async () => {
    const worker = readdirSync(assets).find((f) => /^maplibre-gl-worker-.*\.mjs$/.test(f))!;
    const plain = await fetch(`${t.url}/assets/${worker}`, { headers: { 'accept-encoding': 'identity' } });
    assert.equal(plain.status, 200);
    assert.equal(plain.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.match(plain.headers.get('cache-control')!, /immutable/);
    const body = Buffer.from(await plain.arrayBuffer());
    assert.deepEqual(body, readFileSync(path.join(assets, worker)));
    const http = await import('node:http');
    const gz = await new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
      http.get(`${t.url}/assets/${worker}`, { headers: { 'accept-encoding': 'gzip' } }, (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => resolve({ headers: r.headers, body: Buffer.concat(chunks) }));
      }).on('error', reject);
    });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.deepEqual(gunzipSync(gz.body), body);
  });

  it('answers 404 problem+json (never the page) for unknown assets, other paths and traversal', async () => {
    for (const p of ['/assets/nope.js', '/assets/maplibre-gl-worker.mjs', '/assets/..%2Fpackage.json', '/assets/.stamp.json', '/index.html', '/jobs/job_1', '/assets/x.html']) {
      const res = await fetch(`${t.url}${p}`);
      assert.equal(res.status, 404, p);
      assert.equal(res.headers.get('content-type'), 'application/problem+json', p);
    }
  });
});

describe('console basemap', { skip: built }, () => {
  let t: TestServer;
  before(async () => { t = await startTestServer({ linkSampleData: false, env: { GEOPERA_BASEMAP_URL: 'https://tiles.site.example:8443/osm/{z}/{x}/{y}.png?a=1&b="2"' } }); });
  after(() => t.close());

  it('hands the page the operator basemap and lets only its origin through the CSP', async () => {
    const res = await fetch(`${t.url}/`);
    const csp = res.headers.get('content-security-policy')!;
    assert.match(csp, /img-src 'self' https:\/\/tiles\.site\.example:8443 data: blob:/);
    assert.match(csp, /connect-src 'self' https:\/\/tiles\.site\.example:8443;/);
    assert.match(csp, /script-src 'self';/);
    assert.match(await res.text(), /content="https:\/\/tiles\.site\.example:8443\/osm\/\{z\}\/\{x\}\/\{y\}\.png\?a=1&amp;b=&quot;2&quot;"/);
  });

  it('escapes the meta tag value', () => {
    assert.equal(renderIndex('<meta name="geopera-basemap" content="">', '"><script>'), '<meta name="geopera-basemap" content="&quot;&gt;&lt;script&gt;">');
  });
});

/**
 * The web console in a real browser (Debian's Chromium, software WebGL) against a real server: sign in,
 * draw an AOI with the mouse, see its area and the server's quote, order once (a double click), wait for
 * the job, see its result tiles on the map inside the AOI and not outside (pixels of the canvas), download
 * a file and check its SHA-256, upload a zipped Shapefile and a KML, see a 422 at its field, follow a deep
 * link, delete the job; axe-core finds no WCAG A/AA violation; no request leaves for another host and the
 * CSP is never violated. Screenshots of the main states go to `.screenshots/console/` (git-ignored).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { launchChromium, mercatorOffset, skipUnlessBrowser } from '../support/browser.js';
import { repoRoot } from '../support/gdal.js';
import { startTestServer, type TestServer } from '../support/harness.js';

const shots = path.join(repoRoot, '.screenshots/console');
const fixtures = path.join(repoRoot, 'test/fixtures/console');
const axeSource = readFileSync(path.join(repoRoot, 'node_modules/axe-core/axe.min.js'), 'utf8');
/** The map's ground colour without a basemap (`BackgroundColour` in web/src/map/map.view.tsx). */
const Background = [0xdf, 0xe4, 0xea];

type Ring = [number, number][];

// Functions passed to page.evaluate run in the page; the test project has no DOM types, so name what they use.
declare const document: any;
declare const window: any;
type HTMLElement = any;
type DOMRect = any;

/** Every request the pages made, every CSP violation and page error. */
interface Watch { requests: string[]; violations: string[]; errors: string[] }

function watch(page: Page, w: Watch): void {
  page.on('request', (r) => w.requests.push(r.url()));
  page.on('console', (m) => { if (/Content.Security.Policy|Refused to/i.test(m.text())) w.violations.push(m.text()); });
  page.on('pageerror', (e) => w.errors.push(e.message));
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(shots, `${name}.png`) });
}

async function signIn(page: Page, key: string): Promise<void> {
  await page.locator('#api-key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('org').waitFor();
}

async function axe(page: Page, context: string): Promise<void> {
  // Evaluated through DevTools (not an inline script, which the page's CSP refuses).
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const r = await (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } })
      .axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
  });
  assert.deepEqual(result, [], `axe-core on ${context}`);
}

/** The map view the page wrote into its URL. */
function viewOf(page: Page): { zoom: number; lat: number; lon: number } {
  const m = /map=([\d.-]+)\/([\d.-]+)\/([\d.-]+)/.exec(new URL(page.url()).hash)!;
  return { zoom: Number(m[1]), lat: Number(m[2]), lon: Number(m[3]) };
}

function inside([x, y]: [number, number], ring: Ring): boolean {
  let hit = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!, [xj, yj] = ring[j]!;
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) hit = !hit;
  }
  return hit;
}

function distanceToRing([x, y]: [number, number], ring: Ring): number {
  let best = Infinity;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [ax, ay] = ring[i]!, [bx, by] = ring[i + 1]!;
    const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2 || 1)));
    best = Math.min(best, Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay))));
  }
  return best;
}

describe('web console in Chromium', { skip: skipUnlessBrowser, timeout: 240_000 }, () => {
  let t: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const seen: Watch = { requests: [], violations: [], errors: [] };
  let jobId = '';

  before(async () => {
    mkdirSync(shots, { recursive: true });
    t = await startTestServer();
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    page = await context.newPage();
    watch(page, seen);
  });

  after(async () => {
    await browser?.close();
    await t?.close();
  });

  it('serves the page with a ready marker; a wrong key is refused in words; the right key shows org and scopes', async () => {
    await page.goto(`${t.url}/`);
    await page.locator('html[data-ready="true"]').waitFor({ state: 'attached' });
    await shot(page, '01-sign-in');
    await page.locator('#api-key').fill('gpra_00000000000000000000000000000000xxxxxx');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const error = page.locator('#sign-in-error');
    await error.waitFor();
    assert.match(await error.innerText(), /API key is not valid/);
    assert.doesNotMatch(await error.innerText(), /\b401\b/);
    await signIn(page, t.key);
    assert.match(await page.getByTestId('org').innerText(), /acme/);
    assert.match(await page.locator('.who .scopes').innerText(), /clip:write/);
    assert.equal(await page.locator('#api-key').count(), 0, 'the key field is gone');
    assert.doesNotMatch(page.url(), /gpra_/);
    await page.waitForFunction(() => (document.querySelector('.map') as HTMLElement | null)?.dataset.previewLoaded === 'visual');
    await shot(page, '02-areas');
    await axe(page, 'the area panel');
  });

  it('draws a rectangle with the mouse: area, vertices and the server quote appear', async () => {
    await page.getByRole('tab', { name: 'Order' }).click();
    // Keyboard first: the visible map as the AOI.
    await page.getByRole('button', { name: 'Use the map view' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /the map view/.test(document.querySelector('[data-testid="aoi-source"]')?.textContent ?? ''));
    await page.getByRole('button', { name: 'Draw rectangle' }).click();
    await page.locator('.map[data-draw="rectangle"]').waitFor({ state: 'attached' });
    const box = (await page.locator('.map canvas').boundingBox())!;
    const cx = box.x + box.width / 2, cy = box.y + box.height / 2;
    await page.mouse.click(cx - 70, cy - 50);
    await page.mouse.move(cx, cy, { steps: 4 });
    await page.mouse.move(cx + 70, cy + 50, { steps: 4 });
    await page.mouse.click(cx + 70, cy + 50);
    await page.waitForFunction(() => /drawn on the map/.test(document.querySelector('[data-testid="aoi-source"]')?.textContent ?? ''));
    assert.match(await page.getByTestId('aoi-vertices').innerText(), /^5 of at most 10,000/);
    const area = Number(/≈ ([\d.]+) km²/.exec(await page.getByTestId('aoi-area').innerText())![1]);
    assert.ok(area > 0.005 && area < 1, `AOI area ${area} km²`);
    // The quote of the drawn AOI (the one of the map view before it is shown faded until then).
    await page.waitForFunction(() => document.querySelector('[data-testid="quote"]:not(.stale)') !== null);
    const cost = Number(/([\d.]+) km²/.exec(await page.getByTestId('quote-cost').innerText())![1]);
    assert.ok(Math.abs(cost - area) / area < 0.01, `quote ${cost} km² for one mosaic of an AOI of ≈ ${area} km²`);
    assert.match(await page.getByTestId('quote-balance').innerText(), /unlimited/);
    await page.getByText('Copy as code').click();
    assert.match(await page.locator('.code-box textarea').inputValue(), /curl -sS -X POST http:\/\/127\.0\.0\.1:\d+\/v1\/op\/clip\.create_from_area/);
    await shot(page, '03-aoi-quote');
    await axe(page, 'the order panel with a quote');
  });

  it('orders once on a double click (one Idempotency-Key), then shows the job completing', async () => {
    const before = (await (await t.op('clip.jobs.list', { organization_id: 'acme' })).json()) as { total: number };
    await page.getByRole('button', { name: /^Order for/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Confirm the order' });
    await dialog.waitFor();
    await shot(page, '04-confirm');
    await dialog.getByRole('button', { name: 'Confirm order' }).dblclick();
    const detail = page.getByTestId('detail-status');
    await detail.waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="detail-status"]')?.textContent === 'Completed', null, { polling: 250 });
    const afterList = (await (await t.op('clip.jobs.list', { organization_id: 'acme' })).json()) as { total: number; items: { id: string; status: string }[] };
    assert.equal(afterList.total, before.total + 1, 'exactly one job');
    jobId = afterList.items[0]!.id;
    assert.equal(afterList.items[0]!.status, 'completed');
    assert.match(new URL(page.url()).hash, new RegExp(`job=${jobId}`));
    assert.ok(seen.requests.some((u) => new URL(u).pathname === '/v1/events'), 'the job list follows the event stream');
    // The completed job links its STAC Item (a signed link: no key needed).
    const stac = page.getByRole('link', { name: 'Item (JSON)' });
    await stac.waitFor();
    const item = (await (await fetch((await stac.getAttribute('href'))!)).json()) as { id: string; type: string };
    assert.deepEqual([item.type, item.id], ['Feature', jobId]);
  });

  it('draws the result tiles inside the AOI and nothing outside it (canvas pixels)', async () => {
    // Only the result and the AOI outline: capture-date polygons and footprints off.
    await page.getByRole('tab', { name: 'Area & layers' }).click();
    await page.getByLabel('Capture-date polygons').uncheck();
    await page.getByLabel('Area footprints').uncheck();
    await page.getByRole('tab', { name: 'Jobs' }).click();
    await page.waitForFunction((id) => (document.querySelector('.map') as HTMLElement).dataset.resultLoaded === id, jobId);
    await shot(page, '05-job-result');
    const job = (await (await t.op('clip.job.get', { job_id: jobId })).json()) as { aoi_geometry: { coordinates: Ring[] } };
    const canvas = page.locator('.map canvas');
    const box = (await canvas.boundingBox())!;
    const png = await canvas.screenshot();
    const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const scale = info.width / box.width;
    const view = viewOf(page);
    const ring: Ring = job.aoi_geometry.coordinates[0]!.map(([lon, lat]) => {
      const [dx, dy] = mercatorOffset(lon, lat, view);
      return [box.width / 2 + dx, box.height / 2 + dy];
    });
    // Sample where the data is (the area's footprint), where a leak outside the AOI would show.
    const area = (await (await t.op('clip.areas.list', {})).json()) as { items: { bounds: [number, number, number, number] }[] };
    const [w, s, e, n] = area.items[0]!.bounds;
    const [x0, y0] = mercatorOffset(w, n, view).map((d, k) => d + (k === 0 ? box.width : box.height) / 2) as [number, number];
    const [x1, y1] = mercatorOffset(e, s, view).map((d, k) => d + (k === 0 ? box.width : box.height) / 2) as [number, number];
    // Not under the map's own controls (the attribution).
    const controls = await page.locator('.maplibregl-ctrl').evaluateAll((els) => els.map((el) => el.getBoundingClientRect().toJSON() as DOMRect));
    const underControl = (x: number, y: number): boolean => controls.some((c) => x + box.x >= c.left - 4 && x + box.x <= c.right + 4 && y + box.y >= c.top - 4 && y + box.y <= c.bottom + 4);
    let inPx = 0, inDrawn = 0, outPx = 0, outDrawn = 0;
    for (let y = Math.max(4, y0); y < Math.min(box.height - 4, y1); y += 5) {
      for (let x = Math.max(4, x0); x < Math.min(box.width - 4, x1); x += 5) {
        if (distanceToRing([x, y], ring) < 6 || underControl(x, y)) continue; // the outline itself, the controls
        const i = (Math.round(y * scale) * info.width + Math.round(x * scale)) * 3;
        const background = [0, 1, 2].every((c) => Math.abs(data[i + c]! - Background[c]!) <= 3);
        if (inside([x, y], ring)) { inPx++; if (!background) inDrawn++; } else { outPx++; if (!background) outDrawn++; }
      }
    }
    assert.ok(inPx > 100 && outPx > 1000, `${inPx} samples inside the AOI, ${outPx} outside`);
    assert.ok(inDrawn / inPx > 0.98, `result drawn at ${inDrawn} of ${inPx} samples inside the AOI`);
    assert.equal(outDrawn, 0, `nothing drawn at any of ${outPx} samples outside the AOI`);
  });

  it('downloads a result file whose SHA-256 is the one shown', async () => {
    const link = page.locator('.downloads a').first();
    const shown = await page.getByTestId('sha256').first().innerText();
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const file = await download.path();
    assert.equal(createHash('sha256').update(readFileSync(file)).digest('hex'), shown);
    assert.match(download.suggestedFilename(), /\.tif$/);
    assert.match(await page.locator('#copy-xyz-tile-template-qgis-xyz-tiles-new-connection-').inputValue(), /\/v1\/tiles\/jobs\/.+\/\{z\}\/\{x\}\/\{y\}\.png\?token=/);
    await axe(page, 'the job detail');
  });

  it('reads a zipped Shapefile in NZTM (reprojected) and a KML with a hole and two polygons', async () => {
    await page.getByRole('tab', { name: 'Order' }).click();
    await page.locator('#aoi-file').setInputFiles(path.join(fixtures, 'demo_field_nztm.zip'));
    await page.waitForFunction(() => /demo_field_nztm\.zip/.test(document.querySelector('[data-testid="aoi-source"]')?.textContent ?? ''));
    assert.match(await page.getByTestId('aoi-source').innerText(), /^North paddock/);
    // The field is 0.004° × 0.003° at 43.7°S: about 0.108 km².
    const area = Number(/≈ ([\d.]+) km²/.exec(await page.getByTestId('aoi-area').innerText())![1]);
    assert.ok(Math.abs(area - 0.108) < 0.003, `Shapefile AOI ${area} km²`);
    await page.waitForFunction(() => document.querySelector('[data-testid="quote"]:not(.stale)') !== null);

    await page.locator('#aoi-file').setInputFiles(path.join(fixtures, 'demo_fields.kml'));
    await page.waitForFunction(() => /demo_fields\.kml/.test(document.querySelector('[data-testid="aoi-source"]')?.textContent ?? ''));
    assert.match(await page.locator('.aoi-facts').innerText(), /2 polygons, 1 hole/);
    assert.match(await page.locator('main').innerText(), /cannot edit it/);
    assert.ok(await page.getByRole('button', { name: 'Edit vertices' }).isDisabled());
    await page.waitForFunction(() => document.querySelector('[data-testid="quote"]:not(.stale)') !== null);
    await shot(page, '06-kml-upload');
  });

  it('shows the server 422 at the AOI field when the AOI misses the data', async () => {
    await page.locator('summary', { hasText: 'Paste GeoJSON' }).click();
    await page.locator('#aoi-paste').fill(JSON.stringify({ type: 'Polygon', coordinates: [[[10, 10], [10.01, 10], [10.01, 10.01], [10, 10]]] }));
    await page.getByRole('button', { name: 'Use pasted GeoJSON' }).click();
    const issues = page.locator('#aoi-issues');
    await issues.waitFor();
    assert.match(await issues.innerText(), /does not overlap "visual"/);
    assert.equal(await page.getByRole('button', { name: /^Order/ }).isDisabled(), true);
    await shot(page, '07-422-at-field');
  });

  it('follows a deep link to the job: same view, the job open with its tiles', async () => {
    await page.getByRole('tab', { name: 'Jobs' }).click();
    await page.getByRole('button', { name: 'Zoom to the result' }).click();
    await page.waitForFunction((id) => (document.querySelector('.map') as HTMLElement).dataset.resultLoaded === id, jobId);
    const link = page.url();
    assert.match(link, new RegExp(`#map=[\\d.]+/-43\\.\\d+/172\\.\\d+&area=demo-valley&mosaic=visual&job=${jobId}$`));
    const other = await context.newPage();
    watch(other, seen);
    await other.goto(link);
    await other.locator('html[data-ready="true"]').waitFor({ state: 'attached' });
    await signIn(other, t.key);
    await other.waitForFunction((id) => (document.querySelector('.map') as HTMLElement).dataset.resultLoaded === id, jobId);
    assert.equal(await other.getByTestId('detail-status').innerText(), 'Completed');
    assert.deepEqual(viewOf(other), viewOf(page), 'the linked view is kept');
    await other.setViewportSize({ width: 390, height: 844 });
    await other.waitForFunction(() => document.documentElement.scrollWidth <= window.innerWidth);
    await other.waitForFunction((id) => (document.querySelector('.map') as HTMLElement).dataset.resultLoaded === id, jobId);
    await shot(other, '08-narrow-deep-link');
    await axe(other, 'a narrow window');
    await other.close();
  });

  it('deletes the job after a confirmation', async () => {
    await page.getByRole('tab', { name: 'Jobs' }).click();
    await page.getByRole('button', { name: 'Delete job…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this job?' });
    await shot(page, '09-delete-confirm');
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.waitForFunction((id) => !document.querySelector(`[data-testid="status-${id}"]`), jobId);
    assert.equal((await t.op('clip.job.get', { job_id: jobId })).status, 404);
  });

  it('signs out (tokens revoked) and never contacted another host or broke its CSP', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('#api-key').waitFor();
    const origin = new URL(t.url).origin;
    const foreign = seen.requests.filter((u) => !u.startsWith(`${origin}/`) && !/^(data|blob):/.test(u));
    assert.deepEqual(foreign, [], 'requests to other hosts');
    assert.ok(seen.requests.some((u) => /maplibre-gl-worker-.*\.mjs$/.test(u)), 'the MapLibre worker came from this server');
    assert.deepEqual(seen.violations, [], 'CSP violations');
    assert.deepEqual(seen.errors, [], 'page errors');
  });
});

/**
 * `npm run bench:console`: how fast the web console becomes usable from localhost, in Debian's Chromium
 * (SwiftShader WebGL, as in the browser tests). Per run, a fresh browser context (empty cache):
 * - ready: navigation start → the page's `geopera:ready` mark (UI rendered, map style loaded: you can sign in);
 * - signed in: the Sign in click → the area's mosaic preview tiles drawn.
 * Also the bytes the page transferred. Prints medians and every run.
 */
import { chromium } from 'playwright-core';
import { startTestServer } from '../../test/support/harness.js';

// Page-side functions run in the browser; this project has no DOM types.
declare const document: any;

const runs = Number(process.env.BENCH_RUNS ?? 7);
const t = await startTestServer();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-background-networking', '--headless'],
});
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ready: number[] = [];
const signedIn: number[] = [];
let transferred = 0;
try {
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${t.url}/`);
    await page.locator('html[data-ready="true"]').waitFor({ state: 'attached' });
    ready.push(await page.evaluate(() => performance.getEntriesByName('geopera:ready')[0]!.startTime));
    const start = Date.now();
    await page.locator('#api-key').fill(t.key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForFunction(() => document.querySelector('.map')?.dataset.previewLoaded === 'visual');
    signedIn.push(Date.now() - start);
    transferred = await page.evaluate<number>("[...performance.getEntriesByType('resource'), ...performance.getEntriesByType('navigation')].reduce((n, e) => n + e.transferSize, 0)");
    await context.close();
  }
  console.log(`console ready (navigation → interactive): median ${median(ready).toFixed(0)} ms  [${ready.map((x) => x.toFixed(0)).join(', ')}]`);
  console.log(`sign in → area preview drawn: median ${median(signedIn).toFixed(0)} ms  [${signedIn.join(', ')}]`);
  console.log(`bytes transferred by the last run (gzip, after sign-in): ${(transferred / 1024).toFixed(0)} KiB`);
} finally {
  await browser.close();
  await t.close();
}

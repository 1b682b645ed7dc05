/**
 * Debian's Chromium driven by playwright-core, for the console's browser tests. They skip with a message
 * when no Chromium is installed (`apt-get install chromium`; `.ci/run` does) or the console is not built.
 * Software WebGL (SwiftShader) so MapLibre draws without a GPU; no background network of the browser's own.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { repoRoot } from './gdal.js';

/** The Chromium binary: `CHROMIUM_PATH`, else Debian's. */
export const chromiumPath = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p): p is string => !!p && existsSync(p));

const consoleBuilt = existsSync(path.join(repoRoot, 'dist/web/index.html'));

/** `skip` option for node:test: false when a browser test can run, else why not. */
export const skipUnlessBrowser: string | false = !chromiumPath
  ? 'no Chromium (apt-get install chromium, or set CHROMIUM_PATH): browser tests skipped'
  : !consoleBuilt ? 'the console is not built (npm run build): browser tests skipped' : false;

/** Headless Chromium with software WebGL. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath!,
    headless: true,
    args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-background-networking', '--headless', '--disable-dev-shm-usage'],
  });
}

/** Web Mercator pixel of a longitude/latitude for a MapLibre view (512-pixel world at zoom 0), relative to the view's centre. */
export function mercatorOffset(lon: number, lat: number, view: { zoom: number; lat: number; lon: number }): [number, number] {
  const world = 512 * 2 ** view.zoom;
  const x = (l: number): number => ((l + 180) / 360) * world;
  const y = (p: number): number => ((1 - Math.log(Math.tan(Math.PI / 4 + (p * Math.PI) / 360)) / Math.PI) / 2) * world;
  return [x(lon) - x(view.lon), y(lat) - y(view.lat)];
}

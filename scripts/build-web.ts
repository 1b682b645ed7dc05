/**
 * Build the web console (`web/` → `dist/web/`) with Vite, unless the last build is still current:
 * `dist/web/build.stamp.json` records every source file the bundle was made of (and everything under
 * `web/`, and the lockfile) with its SHA-256, so `npm run build`, `npm start` and `npm install`
 * (`prepare`) rebuild only when one of them changed. `--force` rebuilds anyway.
 *
 * After a build: `.gz` siblings of the text assets (served with `Content-Encoding: gzip`), and the
 * sizes printed (`BUILD_WEB_JSON=1` prints them as JSON).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
const webDir = path.join(root, 'web');
const outDir = path.join(root, 'dist/web');
const stampFile = path.join(outDir, 'build.stamp.json');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? walk(file) : [file];
  });
}

function hashOf(file: string): string {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex');
  } catch {
    return 'missing';
  }
}

/** The files a build depends on beyond those the bundler reported: all of web/, the lockfile, this script. */
function fixedInputs(): string[] {
  return [...walk(webDir), path.join(root, 'package-lock.json'), fileURLToPath(import.meta.url)];
}

function stampOf(files: Iterable<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of [...new Set(files)].sort()) out[path.relative(root, f)] = hashOf(f);
  return out;
}

function current(): boolean {
  if (!existsSync(stampFile) || !existsSync(path.join(outDir, 'index.html'))) return false;
  const stamp = JSON.parse(readFileSync(stampFile, 'utf8')) as { files: Record<string, string> };
  const now = stampOf([...Object.keys(stamp.files).map((f) => path.join(root, f)), ...fixedInputs()]);
  return JSON.stringify(now) === JSON.stringify(stamp.files);
}

interface ChunkLike { type: string; fileName: string; moduleIds?: string[]; modules?: Record<string, unknown> }

async function build(): Promise<void> {
  const { build: viteBuild } = await import('vite');
  const result = await viteBuild({ configFile: path.join(webDir, 'vite.config.ts'), configLoader: 'native', logLevel: 'warn' });
  const outputs = (Array.isArray(result) ? result : [result]) as { output: ChunkLike[] }[];
  const sources = outputs.flatMap((o) => o.output).flatMap((c) => c.moduleIds ?? Object.keys(c.modules ?? {}))
    .filter((id) => path.isAbsolute(id) && !id.includes(`${path.sep}node_modules${path.sep}`) && existsSync(id));

  const sizes: Record<string, { bytes: number; gzip: number }> = {};
  for (const file of walk(path.join(outDir, 'assets'))) {
    if (!/\.(m?js|css|svg|json)$/.test(file)) continue;
    const bytes = readFileSync(file);
    const gz = gzipSync(bytes, { level: 9 });
    if (bytes.length > 1024) writeFileSync(`${file}.gz`, gz);
    sizes[path.basename(file)] = { bytes: bytes.length, gzip: gz.length };
  }
  writeFileSync(stampFile, JSON.stringify({ files: stampOf([...sources, ...fixedInputs()]) }, null, 1));

  const js = Object.entries(sizes).filter(([name]) => /\.m?js$/.test(name));
  const isMapLibre = (name: string): boolean => name.startsWith('maplibre');
  const sum = (list: typeof js): number => list.reduce((n, [, s]) => n + s.gzip, 0);
  const summary = { app_js_gzip: sum(js.filter(([n]) => !isMapLibre(n))), maplibre_js_gzip: sum(js.filter(([n]) => isMapLibre(n))), files: sizes };
  if (process.env.BUILD_WEB_JSON) console.log(JSON.stringify(summary));
  else console.log(`console built: app JS ${(summary.app_js_gzip / 1024).toFixed(1)} KB gzipped (all chunks), MapLibre ${(summary.maplibre_js_gzip / 1024).toFixed(1)} KB gzipped (main + worker)`);
}

if (!existsSync(path.join(webDir, 'index.html'))) {
  console.log('console: no web/ sources here, nothing to build');
} else if (!process.argv.includes('--force') && current()) {
  console.log('console: dist/web is up to date');
} else {
  await build();
}

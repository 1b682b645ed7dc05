/**
 * Vite builds the console (`web/`) into `dist/web/`, served by geopera at `/` (src/http/console.routes.ts).
 * Run through `scripts/build-web.ts` (`npm run build`, and `npm install`'s `prepare`).
 *
 * - MapLibre in its own chunk (the budget is the app's own JavaScript beside it); its worker is a
 *   separate `.mjs` asset handed to `setWorkerUrl`.
 * - The SDK (`src/client`) reads only the ids, scopes, side effects and response kinds of the operations
 *   registry at run time; in the page they come from the registry at build time, without the zod input
 *   schemas (~28 KB gzipped the page never runs: the server validates every body).
 */
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { OperationList } from '../src/operations/registry.js';

const registryFile = fileURLToPath(new URL('../src/operations/registry.ts', import.meta.url));

/** The registry as plain metadata (what `src/client` uses), derived from the real one at build time. */
function registryMetadata(): Plugin {
  const ops = OperationList.map(({ id, summary, scope, sideEffect, response, extension }) => ({ id, summary, scope, sideEffect, response, ...(extension ? { extension } : {}) }));
  return {
    name: 'geopera-registry-metadata',
    enforce: 'pre',
    load(id) {
      if (id !== registryFile) return null;
      return [
        `export const OperationList = ${JSON.stringify(ops)};`,
        'export const Operations = Object.fromEntries(OperationList.map((o) => [o.id, o]));',
        'export function findOperation(id) { return Object.hasOwn(Operations, id) ? Operations[id] : undefined; }',
        "export function resourcePath(id) { return `/v1/${id.replaceAll('.', '/')}`; }",
      ].join('\n');
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  publicDir: false,
  plugins: [registryMetadata()],
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1200,
    reportCompressedSize: false,
    rolldownOptions: {
      // The SDK's download-to-disk module (node:fs, node:crypto) is a lazy chunk the page never loads.
      onLog(level, log, handler) {
        if (/externalized for browser compatibility/.test(log.message) && /src\/client\/file\.download\.ts/.test(log.message)) return;
        if (log.code === 'PLUGIN_TIMINGS') return;
        handler(level, log);
      },
      output: {
        codeSplitting: { groups: [{ name: 'maplibre', test: /node_modules[\\/]maplibre-gl[\\/]/ }] },
      },
    },
  },
});

/**
 * The WebAssembly the server loads is its text: every committed `*.wasm.ts` equals its `*.wat` assembled
 * again by wabt (`npm run build:wasm` writes them).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { assembleWat, wasmModuleSource, watFiles } from '../../../scripts/wasm/wasm.build.js';

describe('the committed WebAssembly modules', () => {
  it('are found: the masked average, the bilinear kernels and the RGB packer', () => {
    assert.deepEqual(watFiles(), ['src/raster/simd/average.wat', 'src/tiles/simd/bilinear.wat', 'src/tiles/simd/pack.wat']);
  });

  for (const file of watFiles()) {
    it(`${file} assembled is what ${file.replace(/\.wat$/, '.wasm.ts')} holds`, async () => {
      const committed = readFileSync(new URL(`../../../${file.replace(/\.wat$/, '.wasm.ts')}`, import.meta.url), 'utf8');
      assert.equal(committed, wasmModuleSource(file, await assembleWat(file)), 'run `npm run build:wasm`');
    });
  }
});

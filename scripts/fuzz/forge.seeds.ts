/**
 * Forged (hand-made, hostile-leaning) seeds of the `tiff` fuzz target, from test/raster/read/tiff.forge.ts:
 * an uncompressed tiled image, an LZW-compressed strip image, a PackBits one, a two-IFD chain with an
 * overview and a mask, and an IFD chain that loops. `node --import tsx scripts/fuzz/forge.seeds.ts [OUT_DIR]`.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { lzwEncode } from '../../src/raster/encode/lzw.encode.js';
import { packBitsEncode } from '../../src/raster/encode/packbits.encode.js';
import { forgeTiff, tiledGrey, type ForgedEntry } from '../../test/raster/read/tiff.forge.js';

const out = process.argv[2] ?? path.join('test', 'fuzz', 'corpus', 'tiff');
const pixels = Uint8Array.from({ length: 16 * 16 }, (_, i) => (i * 7) % 251);

function strips(compression: number, data: Uint8Array): (p: number) => ForgedEntry[] {
  return (p) => [
    { tag: 256, type: 4, values: [16] }, { tag: 257, type: 4, values: [16] }, { tag: 258, type: 3, values: [8] },
    { tag: 259, type: 3, values: [compression] }, { tag: 262, type: 3, values: [1] }, { tag: 273, type: 4, values: [p] },
    { tag: 277, type: 3, values: [1] }, { tag: 278, type: 3, values: [16] }, { tag: 279, type: 4, values: [data.length] },
  ];
}

const seeds: Record<string, Uint8Array> = {
  'forged-tiled-none': forgeTiff((p) => tiledGrey(16, 16, 16, 1, [p], [256]), pixels),
  'forged-strip-lzw': (() => { const d = new Uint8Array(lzwEncode(pixels)); return forgeTiff(strips(5, d), d); })(),
  'forged-strip-packbits': (() => { const d = new Uint8Array(packBitsEncode(pixels, 16)); return forgeTiff(strips(32773, d), d); })(),
  'forged-ifd-loop': forgeTiff((p) => tiledGrey(16, 16, 16, 1, [p], [256]), pixels, 8),
};
for (const [name, bytes] of Object.entries(seeds)) writeFileSync(path.join(out, name), bytes);
console.log(Object.keys(seeds).join('\n'));

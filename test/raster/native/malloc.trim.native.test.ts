/**
 * mallocTrim (the addon's glibc malloc_trim(0)): memory freed in the middle of malloc's heap, which malloc
 * keeps for later, goes back to the system. The clip threads call it when idle (src/jobs/clip.worker.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import v8 from 'node:v8';
import vm from 'node:vm';
import { nativeCodecs, nativeCodecsMissing } from '../../../src/raster/native/codecs.native.js';

const glibc = Boolean((process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header?.glibcVersionRuntime);
const skip = !nativeCodecs ? `the codec addon is ${nativeCodecsMissing}` : !glibc ? 'not glibc' : false;

describe('mallocTrim', { skip }, () => {
  it('hands freed heap memory back to the system: the RSS falls by most of what was freed', () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    // 64 KiB blocks come from malloc's heap (below its mmap threshold). Every 16th stays alive, so the
    // freed ones are holes malloc cannot give back by shrinking the heap's top: only a trim returns them.
    const blocks = Array.from({ length: 1536 }, () => Buffer.alloc(64 * 1024, 1));
    const kept = blocks.filter((_, i) => i % 16 === 0);
    blocks.length = 0;
    gc();
    gc();
    const before = process.memoryUsage.rss();
    assert.equal(nativeCodecs!.mallocTrim(), true, 'some memory was released');
    const freed = before - process.memoryUsage.rss();
    // 90 MiB were freed (1440 blocks); the bound leaves room for other threads allocating meanwhile.
    assert.ok(freed > 40 * 1024 * 1024, `RSS fell ${(freed / 1048576).toFixed(1)} MiB`);
    assert.equal(kept.length, 96);
    assert.ok(kept.every((b) => b[0] === 1 && b[b.length - 1] === 1), 'live blocks are untouched');
  });
});

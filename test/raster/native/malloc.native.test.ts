/**
 * The addon's calls about glibc's malloc. mallocTrim (malloc_trim(0)): memory freed in the middle of
 * malloc's heap, which malloc keeps for later, goes back to the system; the clip threads call it when idle
 * (src/jobs/clip.worker.ts). mallocArenaMax (mallopt M_ARENA_MAX): threads share that many arenas;
 * bin/geopera.js sets 2 before the server's threads start.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import v8 from 'node:v8';
import vm from 'node:vm';
import { nativeCodecs, nativeCodecsFile, nativeCodecsMissing } from '../../../src/raster/native/codecs.native.js';

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

  it('mallocArenaMax(2) before threads start: six worker threads that allocate share 2 arenas (glibc gives each its own without it)', () => {
    // A fresh process each: the limit only holds for threads that allocate after it is set.
    const arenasWith = (limit: boolean): number => {
      const code = `
        import { createRequire } from 'node:module';
        import { Worker } from 'node:worker_threads';
        const addon = createRequire(import.meta.url)(${JSON.stringify(nativeCodecsFile)});
        if (${limit} && !addon.mallocArenaMax(2)) throw new Error('mallopt refused');
        const workers = Array.from({ length: 6 }, () => new Worker('const b = []; for (let i = 0; i < 200; i++) b.push(Buffer.alloc(1000)); setTimeout(() => {}, 300)', { eval: true }));
        await Promise.all(workers.map((w) => new Promise((r) => w.once('exit', r))));
        process.stdout.write(String(addon.mallocArenas()));`;
      const run = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', env: { ...process.env, MALLOC_ARENA_MAX: '' } });
      assert.equal(run.status, 0, run.stderr);
      return Number(run.stdout);
    };
    const limited = arenasWith(true);
    assert.ok(limited >= 1 && limited <= 2, `${limited} arenas with the limit`);
    const free = arenasWith(false);
    assert.ok(free > 2, `${free} arenas without it`);
  });

  it('mallocArenaMax refuses a bad count', () => {
    assert.throws(() => nativeCodecs!.mallocArenaMax(0), /arenas must be an integer from 1 to 1024/);
  });
});

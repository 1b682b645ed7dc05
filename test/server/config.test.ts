import assert from 'node:assert/strict';
import os from 'node:os';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config.js';

describe('configuration', () => {
  it('sizes the pools from the machine by default: clip workers one per core, tile render threads half the cores (at least 1)', () => {
    const c = loadConfig({});
    assert.equal(c.workers, os.availableParallelism());
    assert.equal(c.tileWorkers, Math.max(1, Math.floor(os.availableParallelism() / 2)));
    assert.equal(c.tileCacheBytes, 256 * 1024 * 1024);
  });

  it('takes GEOPERA_TILE_WORKERS and GEOPERA_TILE_CACHE_MB, with at least 1 thread and 16 MB', () => {
    const c = loadConfig({ GEOPERA_TILE_WORKERS: '3', GEOPERA_TILE_CACHE_MB: '512' });
    assert.equal(c.tileWorkers, 3);
    assert.equal(c.tileCacheBytes, 512 * 1024 * 1024);
    const floor = loadConfig({ GEOPERA_TILE_WORKERS: '0', GEOPERA_TILE_CACHE_MB: '1' });
    assert.equal(floor.tileWorkers, 1);
    assert.equal(floor.tileCacheBytes, 16 * 1024 * 1024);
  });

  it('limits each clip thread\'s V8 heap by GEOPERA_WORKER_HEAP_MB (1024 by default, at least 8)', () => {
    assert.equal(loadConfig({}).workerHeapMb, 1024);
    assert.equal(loadConfig({ GEOPERA_WORKER_HEAP_MB: '256' }).workerHeapMb, 256);
    assert.equal(loadConfig({ GEOPERA_WORKER_HEAP_MB: '1' }).workerHeapMb, 8);
    assert.throws(() => loadConfig({ GEOPERA_WORKER_HEAP_MB: 'lots' }), /GEOPERA_WORKER_HEAP_MB/);
  });

  it('refuses a value that is not a non-negative integer, naming the variable', () => {
    assert.throws(() => loadConfig({ GEOPERA_TILE_WORKERS: 'two' }), /GEOPERA_TILE_WORKERS/);
    assert.throws(() => loadConfig({ GEOPERA_TILE_CACHE_MB: '-5' }), /GEOPERA_TILE_CACHE_MB/);
  });
});

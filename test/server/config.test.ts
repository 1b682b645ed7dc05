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

  it('refuses a value that is not a non-negative integer, naming the variable', () => {
    assert.throws(() => loadConfig({ GEOPERA_TILE_WORKERS: 'two' }), /GEOPERA_TILE_WORKERS/);
    assert.throws(() => loadConfig({ GEOPERA_TILE_CACHE_MB: '-5' }), /GEOPERA_TILE_CACHE_MB/);
  });

  it('uses SQLite in the data directory unless GEOPERA_DATABASE_URL names a PostgreSQL database', () => {
    assert.equal(loadConfig({}).databaseUrl, undefined);
    assert.equal(loadConfig({ GEOPERA_DATABASE_URL: 'postgres://geo@db.internal:5432/geopera' }).databaseUrl, 'postgres://geo@db.internal:5432/geopera');
    assert.equal(loadConfig({ GEOPERA_DATABASE_URL: 'postgresql://db/geopera' }).databaseUrl, 'postgresql://db/geopera');
    assert.throws(() => loadConfig({ GEOPERA_DATABASE_URL: 'mysql://db/geopera' }), /GEOPERA_DATABASE_URL/);
    assert.equal(loadConfig({}).databasePool, 10);
    assert.equal(loadConfig({ GEOPERA_DATABASE_POOL: '25' }).databasePool, 25);
  });

  it('names the node from GEOPERA_NODE_ID, or generates a name that differs between processes', () => {
    assert.equal(loadConfig({ GEOPERA_NODE_ID: 'node-a.eu-1' }).nodeId, 'node-a.eu-1');
    const a = loadConfig({}).nodeId;
    const b = loadConfig({}).nodeId;
    assert.match(a, /^[\w.-]+-[0-9a-f]{8}$/);
    assert.notEqual(a, b);
    assert.throws(() => loadConfig({ GEOPERA_NODE_ID: 'has space' }), /GEOPERA_NODE_ID/);
  });

  it('takes a job lease of GEOPERA_JOB_LEASE_S seconds (30 by default, at least 1)', () => {
    assert.equal(loadConfig({}).jobLeaseMs, 30_000);
    assert.equal(loadConfig({ GEOPERA_JOB_LEASE_S: '5' }).jobLeaseMs, 5_000);
    assert.equal(loadConfig({ GEOPERA_JOB_LEASE_S: '0' }).jobLeaseMs, 1_000);
    assert.throws(() => loadConfig({ GEOPERA_JOB_LEASE_S: 'soon' }), /GEOPERA_JOB_LEASE_S/);
  });
});

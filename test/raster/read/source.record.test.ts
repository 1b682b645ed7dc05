/**
 * I/O is a performance property checked without a clock: a source that records every byte range
 * shows that opening reads headers only and that a window reads exactly the tiles it touches.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readRasterInfo } from '../../../src/raster/read/raster.open.js';
import { FileSource, type Source } from '../../../src/raster/read/source.js';
import { readWindow } from '../../../src/raster/read/window.read.js';
import type { RasterInfo } from '../../../src/raster/raster.types.js';
import { realFixturesDir, run, skipUnlessRealFixtures } from '../../support/gdal.js';

/** A source that remembers every read. */
class RecordingSource implements Source {
  readonly reads: [number, number][] = [];
  constructor(private readonly inner: Source) {}
  get path(): string {
    return this.inner.path;
  }
  get size(): number {
    return this.inner.size;
  }
  read(offset: number, length: number): Promise<Uint8Array> {
    this.reads.push([offset, length]);
    return this.inner.read(offset, length);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

async function recorded(file: string): Promise<{ source: RecordingSource; info: RasterInfo; headerReads: [number, number][] }> {
  const source = new RecordingSource(await FileSource.open(file));
  const info = await readRasterInfo(source);
  const headerReads = source.reads.splice(0);
  return { source, info, headerReads };
}

/** Byte ranges [offset, length] of tile (tx, ty) of level 0, one per plane. */
function tileRanges(info: RasterInfo, tx: number, ty: number): [number, number][] {
  const l = info.levels[0];
  const planes = info.planarConfiguration === 2 ? info.bands : 1;
  return Array.from({ length: planes }, (_, p) => p * l.tilesAcross * l.tilesDown + ty * l.tilesAcross + tx).map((i) => [l.offsets[i], l.byteCounts[i]]);
}

const sorted = (r: [number, number][]): [number, number][] => [...r].sort((a, b) => a[0] - b[0]);

describe('reads through a recording source', { skip: skipUnlessRealFixtures }, () => {
  const cog = path.join(realFixturesDir, 's2_tci_utm34n_deflate_cog.tif');
  let dir = '';
  let planar = '';
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'geopera-record-'));
    planar = path.join(dir, 'planar.tif');
    run('gdal_translate', ['-q', '-co', 'TILED=YES', '-co', 'INTERLEAVE=BAND', '-co', 'COMPRESS=DEFLATE', cog, planar]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('opening reads headers only, never a byte of tile data', async () => {
    const { source, info, headerReads } = await recorded(cog);
    await source.close();
    const tiles = info.levels.flatMap((l) => l.offsets.map((o, i) => [o, l.byteCounts[i]] as const)).filter(([, n]) => n > 0);
    for (const [offset, length] of headerReads) {
      for (const [to, tn] of tiles) assert.ok(offset + length <= to || offset >= to + tn, `header read ${offset}+${length} overlaps tile data at ${to}+${tn}`);
    }
    assert.ok(headerReads.reduce((a, [, n]) => a + n, 0) < 64 * 1024, 'header reads stay small');
  });

  it('a window inside one tile reads exactly that tile, once', async () => {
    const { source, info } = await recorded(cog);
    const { tileWidth: tw, tileHeight: th } = info.levels[0];
    await readWindow(source, info, 0, 3 * tw + 5, 2 * th + 7, 20, 30);
    await source.close();
    assert.deepEqual(source.reads, tileRanges(info, 3, 2));
  });

  it('a window across four tiles reads those four tiles', async () => {
    const { source, info } = await recorded(cog);
    const { tileWidth: tw, tileHeight: th } = info.levels[0];
    await readWindow(source, info, 0, 5 * tw - 3, 6 * th - 3, 6, 6);
    await source.close();
    assert.deepEqual(sorted(source.reads), sorted([...tileRanges(info, 4, 5), ...tileRanges(info, 5, 5), ...tileRanges(info, 4, 6), ...tileRanges(info, 5, 6)]));
  });

  it('a band-interleaved file reads one range per band for a tile', async () => {
    const { source, info } = await recorded(planar);
    assert.equal(info.planarConfiguration, 2);
    await readWindow(source, info, 0, 1, 1, 10, 10);
    await source.close();
    assert.deepEqual(sorted(source.reads), sorted(tileRanges(info, 0, 0)));
    assert.equal(source.reads.length, 3);
  });

  it('a sparse tile is not read at all', async () => {
    const { source, info } = await recorded(path.join(realFixturesDir, 'sparse_rgba_nztm_webp_cog.tif'));
    const pixels = await readWindow(source, info, 0, 1000, 1000, 64, 64);
    await source.close();
    assert.deepEqual(source.reads, []);
    assert.ok(pixels.every((v) => v === 0));
  });
});

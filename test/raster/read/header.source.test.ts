/**
 * Opening reads a TIFF's headers in few requests: the IFDs and their out-of-line values merged into spans
 * (gaps of at most 64 bytes), each read once; the parser's reads are answered from them, byte for byte as
 * the file answers, and any other read still goes to the file.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { HeaderSource, mergeRanges } from '../../../src/raster/read/header.source.js';
import { walkIfds } from '../../../src/raster/read/ifd.guard.js';
import { resolveReadLimits } from '../../../src/raster/read/read.limits.js';
import { FileSource, type Source } from '../../../src/raster/read/source.js';
import { repoRoot } from '../../support/gdal.js';

/** A source counting its reads. */
function counting(inner: Source): Source & { reads: number } {
  const s = { reads: 0, path: inner.path, size: inner.size, read: (o: number, n: number) => { s.reads++; return inner.read(o, n); }, close: () => inner.close() };
  return s;
}

describe('header spans', () => {
  it('merge ranges that touch, overlap or lie at most the gap apart, in file order, and drop empty ones', () => {
    assert.deepEqual(mergeRanges([[100, 10], [0, 8], [8, 4], [200, 0], [174, 4], [300, 1]], 64), [[0, 12], [100, 178], [300, 301]]);
    assert.deepEqual(mergeRanges([[0, 10], [75, 5]], 64), [[0, 10], [75, 80]]);
    assert.deepEqual(mergeRanges([[0, 10], [74, 5]], 64), [[0, 79]]);
    assert.deepEqual(mergeRanges([]), []);
  });

  it('answer every read of the headers from the spans, the same bytes as the file, in one read a span', async () => {
    const file = await FileSource.open(path.join(repoRoot, 'data', 'areas', 'demo-valley', 'mosaics', 'visual.tif'));
    try {
      const layout = await walkIfds(file, resolveReadLimits());
      const inner = counting(file);
      const header = await HeaderSource.prefetch(inner, layout);
      const spans = mergeRanges(layout.ifds.flatMap((i) => [[i.offset, i.byteLength] as [number, number], ...i.values]));
      assert.equal(inner.reads, spans.length);
      assert.ok(spans.length < layout.ifds.length + layout.ifds.reduce((n, i) => n + i.values.length, 0), 'fewer reads than header parts');
      for (const [offset, length] of layout.ifds.flatMap((i) => [[i.offset, i.byteLength] as [number, number], ...i.values])) {
        assert.deepEqual(await header.read(offset, length), await file.read(offset, length));
      }
      assert.equal(inner.reads, spans.length, 'no header part read again');
      const past = spans.at(-1)![1];
      assert.deepEqual(await header.read(past, 16), await file.read(past, 16), 'a read outside the spans goes to the file');
      assert.equal(inner.reads, spans.length + 1);
      await assert.rejects(header.read(file.size - 4, 8), { code: 'truncated_tiff' });
    } finally {
      await file.close();
    }
  });
});

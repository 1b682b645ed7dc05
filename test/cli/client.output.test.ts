/** What the CLI prints: table rows, a streaming table, progress lines (pure). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cell, formatBytes, progressBar, ProgressLine, StreamingTable, tableRow } from '../../src/cli/client.output.js';

describe('CLI output', () => {
  it('flattens records to cells; GeoJSON Features show properties and geometry type', () => {
    assert.deepEqual(tableRow({ id: 'a', bounds: [1, 2.1234567, 3, 4], mosaic_types: ['visual', 'analytic'], meta: { x: 1 }, n: null }), {
      id: 'a', bounds: '1,2.123457,3,4', mosaic_types: 'visual,analytic', meta: '{"x":1}', n: '',
    });
    assert.deepEqual(tableRow({ type: 'Feature', geometry: { type: 'Polygon', coordinates: [] }, properties: { capture_date: '2024-05-01', mosaic_type: 'visual' } }), {
      capture_date: '2024-05-01', mosaic_type: 'visual', geometry: 'Polygon',
    });
    assert.equal(cell(true), 'true');
  });

  it('streams a table whose columns come from the first rows', () => {
    let out = '';
    const table = new StreamingTable((t) => { out += t; }, 2, 12);
    table.add({ id: 'one', status: 'queued' });
    assert.equal(out, '', 'buffered until the sample is full');
    table.add({ id: 'two', status: 'completed' });
    table.add({ id: 'three-is-a-long-id', status: 'failed', extra: 'dropped' });
    table.end();
    assert.equal(out, 'ID   STATUS\none  queued\ntwo  completed\nth…  failed\n', 'later rows keep the widths and columns');
  });

  it('says so when a list is empty', () => {
    let out = '';
    const table = new StreamingTable((t) => { out += t; });
    table.end();
    assert.equal(out, '(no records)\n');
  });

  it('draws a progress bar and sizes', () => {
    assert.equal(progressBar(0.5, 10), '[#####.....]  50%');
    assert.equal(progressBar(2, 4), '[####] 100%');
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(1536), '1.5 KiB');
  });

  it('redraws in place on a terminal and writes few lines to a pipe', () => {
    const tty: string[] = [];
    const line = new ProgressLine({ isTTY: true, write: (t: string) => tty.push(t) });
    line.update(0.1, 'running');
    line.update(0.1, 'running');
    line.update(0.2, 'running');
    line.done();
    assert.deepEqual(tty, ['\r\x1b[2K[##......................]  10% running', '\r\x1b[2K[#####...................]  20% running', '\n']);

    const pipe: string[] = [];
    const log = new ProgressLine({ write: (t: string) => pipe.push(t) });
    for (let i = 0; i <= 100; i++) log.update(i / 100, `${i} bytes`, '');
    assert.equal(pipe.length, 11, 'one line per 10%');
    log.update(1, 'completed', 'completed');
    assert.equal(pipe.length, 12, 'a new key is a new line');
  });
});

/**
 * A local file written to while it is being opened fails with `source_changed` (the look at its path
 * and at the opened file disagree), through the file store as through the engine's `FileSource`: never
 * `internal_error`. The write is made to land inside the open, deterministically: the file is a FIFO,
 * whose open for reading waits for a writer; the writer opens it (non-blocking, retried until the reader
 * waits: counted, not timed) and writes before the reader's open returns to the event loop. The FIFO's
 * modification time is set in the past first, so the write changes it whatever the clock's granularity.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmSync, utimesSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { AppError } from '../../src/errors/app.error.js';
import { LocalFileStore } from '../../src/files/local.store.js';
import { FileSource } from '../../src/raster/read/source.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'geopera-open-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A FIFO at `name` dated 2000-01-01, and a write to it made while `opening()` waits in its open. */
async function writtenWhileOpened<T>(name: string, opening: (file: string) => Promise<T>): Promise<T> {
  const file = path.join(dir, name);
  execFileSync('mkfifo', [file]);
  utimesSync(file, 946684800, 946684800);
  const pending = opening(file);
  pending.catch(() => undefined);
  let fd = -1;
  for (let tries = 0; fd < 0; tries++) {
    assert.ok(tries < 100_000, 'the reader never waited in its open');
    try {
      fd = openSync(file, constants.O_WRONLY | constants.O_NONBLOCK);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENXIO') throw err;
      await new Promise((r) => setImmediate(r));
    }
  }
  // Synchronously, so the reader's open has not come back to the event loop yet.
  writeSync(fd, 'x');
  try {
    return await pending;
  } finally {
    closeSync(fd);
  }
}

function codeOf(err: unknown): string {
  return err instanceof AppError ? err.code : String(err);
}

describe('a local file written to while it is opened', () => {
  it('FileSource.open fails with source_changed', async () => {
    const err = await writtenWhileOpened('engine.fifo', (f) => FileSource.open(f, 'areas/a/mosaics/x.tif')).then(() => null, (e: unknown) => e);
    assert.equal(codeOf(err), 'source_changed');
    assert.match((err as Error).message, /^areas\/a\/mosaics\/x\.tif changed while it was read/);
  });

  it('the local file store passes source_changed through (not internal_error)', async () => {
    const store = new LocalFileStore(dir);
    const err = await writtenWhileOpened('store.fifo', () => store.openSource('store.fifo')).then(() => null, (e: unknown) => e);
    assert.equal(codeOf(err), 'source_changed');
    assert.match((err as Error).message, /^store\.fifo changed while it was read/);
  });
});

/** NDJSON decoding as bytes arrive in any chunking (pure). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isStreamError, ndjsonRecords, textLines } from '../../src/client/ndjson.records.js';

async function* chunks(parts: (string | Uint8Array)[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield typeof p === 'string' ? new TextEncoder().encode(p) : p;
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('NDJSON records', () => {
  it('splits lines across chunk boundaries, tolerating CRLF, blank lines and a missing final newline', async () => {
    assert.deepEqual(await collect(textLines(chunks(['{"a":', '1}\r\n\n{"b"', ':2}\n{"c":3}']))), ['{"a":1}', '{"b":2}', '{"c":3}']);
  });

  it('decodes multi-byte characters split between chunks', async () => {
    const bytes = new TextEncoder().encode('{"name":"Kāpiti"}\n');
    const cut = bytes.indexOf(0xc4) + 1; // inside the two-byte "ā"
    assert.deepEqual(await collect(ndjsonRecords(chunks([bytes.subarray(0, cut), bytes.subarray(cut)]))), [{ name: 'Kāpiti' }]);
  });

  it('names the line that is not JSON', async () => {
    await assert.rejects(collect(ndjsonRecords(chunks(['{"a":1}\n', 'oops\n']))), /NDJSON line 2 is not JSON: oops/);
  });

  it('tells the server\'s mid-stream error line from a record with its own error field', () => {
    assert.equal(isStreamError({ error: { code: 'internal_error', request_id: 'r1' } }), true);
    assert.equal(isStreamError({ id: 'area', error: 'broken file' }), false);
    assert.equal(isStreamError({ error: 'text' }), false);
    assert.equal(isStreamError([{ error: { code: 'x' } }]), false);
  });
});

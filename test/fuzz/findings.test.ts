/**
 * Every bug the fuzzer found, as a named spec: its input is a file in the target's corpus
 * (`test/fuzz/corpus/<target>/finding-*`), replayed here with the answer it must now get.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { jsonDepth, MaxJsonDepth } from '../../src/http/body.read.js';
import { beginAllocations, endAllocations, installAllocGuard, uninstallAllocGuard } from './alloc.guard.js';
import { CorpusRoot } from './fuzz.target.js';
import { findTarget } from './targets.js';

async function replay(target: string, file: string): Promise<{ label: string; largest: number }> {
  const t = findTarget(target);
  beginAllocations(t.maxAllocBytes);
  try {
    const label = await t.run(new Uint8Array(readFileSync(path.join(CorpusRoot, target, file))));
    return { label, largest: endAllocations().largest };
  } finally {
    endAllocations();
  }
}

describe('fuzz findings stay fixed', () => {
  before(() => installAllocGuard());
  after(() => uninstallAllocGuard());

  it('tiff: a LERC blob declaring more rows than the tile is refused before lerc allocates for it (was 128 MiB from a 2.5 KB file)', async () => {
    const { label, largest } = await replay('tiff', 'finding-lerc-blob-taller-than-tile');
    assert.equal(label, 'error:invalid_tiff');
    assert.ok(largest < 1 << 20, `largest allocation ${largest} bytes`);
  });

  it('tiff: a LERC blob header declaring a huge depth is refused before lerc sizes its statistics by it (was 12 MB from a 2.5 KB file)', async () => {
    const { label, largest } = await replay('tiff', 'finding-lerc-depth-times-bands');
    assert.equal(label, 'error:invalid_tiff');
    assert.ok(largest < 1 << 20, `largest allocation ${largest} bytes`);
  });

  it('tiff: an internal mask tiled unlike its image is refused (unsupported_tiff); the clip and the tiles read mask tiles at the image tile position', async () => {
    assert.equal((await replay('tiff', 'finding-mask-tiled-unlike-image')).label, 'error:unsupported_tiff');
  });

  it('tiff: TileOffsets of field type ASCII (no numbers) is invalid_tiff when the level is built, not a level with no offsets', async () => {
    assert.equal((await replay('tiff', 'finding-tile-offsets-not-integers')).label, 'error:invalid_tiff');
  });

  it('tiff: TileOffsets of field type RATIONAL (numerator/denominator pairs, twice the numbers) is invalid_tiff', async () => {
    assert.equal((await replay('tiff', 'finding-tile-offsets-rational')).label, 'error:invalid_tiff');
  });

  it('body: JSON nested 4 000 deep is 400 invalid_json, not a stack overflow (500) in the Idempotency-Key fingerprint', async () => {
    assert.equal((await replay('body', 'finding-nesting-overflows-fingerprint')).label, 'error:invalid_json');
  });

  it('body: a malformed JSON body at the OIDC token endpoint is 400 invalid_json, not a SyntaxError (500)', async () => {
    assert.equal((await replay('body', 'finding-form-json-malformed')).label, 'error:invalid_json');
  });

  it('catalog: a STAC Item file holding `null` is invalid_input, not a TypeError (500 on clip.create_from_item)', async () => {
    assert.equal((await replay('catalog', 'finding-stac-item-null')).label.split('/')[0], 'error:invalid_input');
  });

  it('jsonDepth counts brackets outside strings only', () => {
    assert.equal(jsonDepth('{"a":[[1],{"b":"[[[[\\"]]"}]}'), 3);
    assert.equal(jsonDepth('"[[["'), 0);
    assert.equal(jsonDepth('['.repeat(MaxJsonDepth + 1), MaxJsonDepth), MaxJsonDepth + 1);
  });
});

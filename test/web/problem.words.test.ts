/** Errors in words: what each failure means to a person, and 422 issues at the field they name. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GeoperaError } from '../../src/client/index.js';
import { describeError, fieldIssues } from '../../web/src/state/problem.words.js';

describe('console error words', () => {
  it('speaks of keys, sessions, credits, permissions and the network instead of status codes', () => {
    assert.match(describeError(new GeoperaError(401, { code: 'invalid_credentials' }, 'token'), 'Signing in'), /API key is not valid/);
    assert.match(describeError(new GeoperaError(401, { code: 'token_expired' }, 'x'), 'Loading'), /session has ended/);
    assert.match(describeError(new GeoperaError(402, { code: 'insufficient_credits', cost_km2: 2.5, balance_km2: 1 }, 'x'), 'Ordering'), /needs 2\.500 km² and your organization has 1\.000 km²/);
    assert.match(describeError(new GeoperaError(403, { code: 'missing_scope', detail: 'needs clip:write' }, 'x'), 'Ordering'), /not allowed to do this: needs clip:write/);
    assert.match(describeError(new GeoperaError(429, {}, 'x', { retryAfterS: 3.2 }), 'Ordering'), /try again in 4 s/);
    assert.match(describeError(new GeoperaError(500, {}, 'x', { requestId: 'r-1' }), 'Ordering'), /report request id r-1/);
    assert.match(describeError(new TypeError('fetch failed'), 'Signing in'), /cannot be reached/);
    for (const status of [400, 401, 402, 403, 404, 409, 410, 413, 422, 429, 500, 503]) {
      assert.doesNotMatch(describeError(new GeoperaError(status, {}, 'x'), 'Ordering'), new RegExp(`\\b${status}\\b`), `${status} in words`);
    }
  });

  it('puts each 422 issue at the body field its loc names', () => {
    const err = new GeoperaError(422, { detail: [
      { loc: ['body', 'aoi_geometry', 'coordinates', 0, 3], msg: 'Ring self-intersects', type: 'value_error' },
      { loc: ['body', 'mosaic_types'], msg: 'List should have at least 1 item', type: 'too_short' },
      { loc: ['body'], msg: 'Bad', type: 'x' },
    ] }, 'clip.create_from_area');
    assert.deepEqual(fieldIssues(err), {
      aoi_geometry: ['Ring self-intersects (at coordinates.0.3)'],
      mosaic_types: ['List should have at least 1 item'],
      '': ['Bad'],
    });
    assert.deepEqual(fieldIssues(new GeoperaError(404, {}, 'x')), {});
  });
});

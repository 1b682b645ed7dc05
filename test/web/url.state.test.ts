/** The console's URL state: a shared link restores the view, area, mosaic and job, and never carries a credential. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatUrlState, parseUrlState, safeId } from '../../web/src/state/url.state.js';

describe('console URL state', () => {
  it('round-trips view, area, mosaic and job through the fragment', () => {
    const state = { view: { zoom: 15.25, lat: -43.666512, lon: 172.189123 }, area: 'demo-valley', mosaic: 'visual', job: 'job_AbC123xyz' };
    const hash = formatUrlState(state);
    assert.equal(hash, '#map=15.25/-43.666512/172.189123&area=demo-valley&mosaic=visual&job=job_AbC123xyz');
    assert.deepEqual(parseUrlState(hash), state);
    assert.deepEqual(parseUrlState(hash.slice(1)), state, 'with or without the #');
  });

  it('rounds the view to 2 decimals of zoom and 6 of degrees', () => {
    assert.equal(formatUrlState({ view: { zoom: 3.14159, lat: 1.23456789, lon: -2.000000049 } }), '#map=3.14/1.234568/-2');
    assert.equal(formatUrlState({}), '');
  });

  it('ignores what it does not understand: bad numbers, out-of-range views, odd ids, unknown keys', () => {
    assert.deepEqual(parseUrlState('#map=abc/1/2&area=../etc&job=<script>&foo=bar'), {});
    assert.deepEqual(parseUrlState('#map=30/0/0'), {});
    assert.deepEqual(parseUrlState('#map=3/91/0'), {});
    assert.deepEqual(parseUrlState('#map=3/1'), {});
  });

  it('never writes or reads a credential: only known keys, and no API-key-shaped value', () => {
    const key = 'gpra_0123456789abcdefghijklmnopqrstuv12ab34';
    const withSecrets = { area: key, job: 'job_1', token: 'eyJhbGciOi', api_key: key } as Record<string, unknown>;
    const hash = formatUrlState(withSecrets);
    assert.equal(hash, '#job=job_1');
    assert.doesNotMatch(hash, /gpra_|token|eyJ/);
    assert.deepEqual(parseUrlState(`#job=${key}&area=demo`), { area: 'demo' });
    assert.equal(safeId(key), undefined);
    assert.equal(safeId('x'.repeat(129)), undefined);
  });
});

/** Capture-date polygons coloured by date: positions on the ramp and day numbers for the filter. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { colourAt, DateRamp, dateFeatures, dayOf, isoDay } from '../../web/src/state/capture.colors.js';

describe('console capture-date colours', () => {
  it('places each capture between the first (0) and the last (1) date', () => {
    const f = (d: string) => ({ geometry: null, properties: { capture_date: d } });
    const r = dateFeatures([f('2025-01-18'), f('2025-03-29'), f('2025-02-22'), f('not a date')])!;
    assert.equal(r.features.length, 3);
    assert.deepEqual(r.features.map((x) => Math.round(x.properties.t * 100) / 100), [0, 1, 0.5]);
    assert.equal(isoDay(r.first), '2025-01-18');
    assert.equal(isoDay(r.last), '2025-03-29');
    assert.equal(dayOf('2025-01-18T23:59:00Z'), r.first);
    assert.equal(dateFeatures([]), undefined);
  });

  it('interpolates the ramp between its stops', () => {
    assert.equal(colourAt(0), DateRamp[0]);
    assert.equal(colourAt(1), DateRamp.at(-1));
    assert.equal(colourAt(0.25), DateRamp[1]);
    assert.equal(colourAt(-3), DateRamp[0]);
  });
});

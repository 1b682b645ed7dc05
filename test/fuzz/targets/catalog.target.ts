/**
 * Fuzz target: the operator's catalog files. The same bytes are read as a STAC Item
 * (`catalog/items/<id>.json`) and as an area's `capture_dates.geojson`.
 */
import { dateRange, parseCaptureDates } from '../../../src/catalog/capture.dates.js';
import { parseStacItem } from '../../../src/catalog/stac.items.js';
import { check, settle, type FuzzTarget } from '../fuzz.target.js';

export const CatalogTarget: FuzzTarget = {
  name: 'catalog',
  about: 'STAC Item JSON → parseStacItem; capture_dates.geojson → parseCaptureDates + dateRange',
  covers: ['src/catalog/stac.items.ts', 'src/catalog/capture.dates.ts'],
  dictionary: 'json.dict',
  maxLength: 16 * 1024,
  maxAllocBytes: 1 << 20,
  run: async (data) => {
    const text = Buffer.from(data).toString('utf8');
    const item = await settle(() => {
      const it = parseStacItem(text, 'fuzz');
      // An asset's key never leaves the data directory's layout: a walk out of it has no key at all.
      for (const a of it.assets) check(typeof a.key === 'string' && (a.file === null || (!a.file.startsWith('/') && !a.file.split('/').includes('..'))), 'asset key outside the data directory');
      JSON.stringify(it);
    });
    const dates = await settle(() => {
      const features = parseCaptureDates(text, 'capture_dates.geojson');
      const range = dateRange(features);
      for (let i = 1; i < features.length; i++) {
        check(Date.parse(features[i - 1]!.properties.capture_date) <= Date.parse(features[i]!.properties.capture_date), 'capture dates are not sorted');
      }
      if (range) check(range.start === features[0]!.properties.capture_date, 'dateRange start is not the first date');
      JSON.stringify(features);
    });
    return `${item}/${dates}`;
  },
};

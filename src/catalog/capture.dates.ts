/** `capture_dates.geojson`: dated footprints of an area, as Features sorted by date. */
import { AppError } from '../errors/app.error.js';

export interface CaptureFeature {
  type: 'Feature';
  geometry: unknown;
  properties: { capture_date: string; mosaic_type: string | null; [k: string]: unknown };
}

/** Parse and sort; features without a valid `capture_date` are dropped. Throws `invalid_input` on a broken file. */
export function parseCaptureDates(text: string, file: string): CaptureFeature[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new AppError('invalid_input', `${file} is not valid JSON: ${(err as Error).message}`);
  }
  const features = (doc as { type?: string; features?: unknown[] })?.features;
  if (!Array.isArray(features)) throw new AppError('invalid_input', `${file} is not a GeoJSON FeatureCollection`);
  const out: CaptureFeature[] = [];
  for (const f of features) {
    const props = (f as { properties?: Record<string, unknown> })?.properties ?? {};
    const date = props.capture_date;
    if (typeof date !== 'string' || Number.isNaN(Date.parse(date))) continue;
    out.push({ type: 'Feature', geometry: (f as { geometry?: unknown }).geometry ?? null, properties: { ...props, capture_date: date, mosaic_type: typeof props.mosaic_type === 'string' ? props.mosaic_type : null } });
  }
  return out.sort((a, b) => Date.parse(a.properties.capture_date) - Date.parse(b.properties.capture_date));
}

/** First and last capture date, or null. */
export function dateRange(features: CaptureFeature[]): { start: string; end: string } | null {
  if (features.length === 0) return null;
  return { start: features[0]!.properties.capture_date, end: features[features.length - 1]!.properties.capture_date };
}

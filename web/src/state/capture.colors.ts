/**
 * Capture-date polygons coloured by date: each feature gets `t` (0 = first date, 1 = last) and `day`
 * (days since 1970) for the map's colour ramp and date filter; the legend's colour stops.
 */

/** Colour stops from the earliest to the latest capture (colour-blind safe, readable on light and dark). */
export const DateRamp = ['#3b4cc0', '#2c9fb8', '#55b748', '#f2c12e', '#d7301f'] as const;

export interface DatedFeature {
  type: 'Feature';
  geometry: unknown;
  properties: { capture_date: string; mosaic_type?: string | null; t: number; day: number; [k: string]: unknown };
}

const DayMs = 86_400_000;

/** Whole days since 1970-01-01 of an ISO date. */
export function dayOf(iso: string): number {
  return Math.floor(Date.parse(iso) / DayMs);
}

/** ISO date (YYYY-MM-DD) of a day number. */
export function isoDay(day: number): string {
  return new Date(day * DayMs).toISOString().slice(0, 10);
}

/** Add `t` and `day` to each capture feature (features without a readable date are dropped). */
export function dateFeatures(features: readonly { geometry: unknown; properties: { capture_date: string; [k: string]: unknown } }[]): { features: DatedFeature[]; first: number; last: number } | undefined {
  const dated = features.filter((f) => Number.isFinite(Date.parse(f.properties.capture_date)));
  if (dated.length === 0) return undefined;
  const days = dated.map((f) => dayOf(f.properties.capture_date));
  const first = Math.min(...days);
  const last = Math.max(...days);
  const span = Math.max(1, last - first);
  return {
    first,
    last,
    features: dated.map((f, i) => ({ type: 'Feature', geometry: f.geometry, properties: { ...f.properties, day: days[i]!, t: (days[i]! - first) / span } })),
  };
}

/** The ramp's colour at `t` (0..1), as the map interpolates it. */
export function colourAt(t: number): string {
  const x = Math.min(1, Math.max(0, t)) * (DateRamp.length - 1);
  const i = Math.min(DateRamp.length - 2, Math.floor(x));
  const f = x - i;
  const a = DateRamp[i]!, b = DateRamp[i + 1]!;
  const ch = (s: string, k: number): number => parseInt(s.slice(1 + 2 * k, 3 + 2 * k), 16);
  return `#${[0, 1, 2].map((k) => Math.round(ch(a, k) + (ch(b, k) - ch(a, k)) * f).toString(16).padStart(2, '0')).join('')}`;
}

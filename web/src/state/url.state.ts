/**
 * What the page's URL holds, so a link can be shared: the map view, the area, the previewed mosaic
 * and the selected job, in the fragment (`#map=15.2/-43.666/172.189&area=demo-valley&job=job_…`), which
 * never reaches the server. Never a credential: only these keys are written, ids must look like ids,
 * and anything shaped like an API key or a token is dropped.
 */

/** Map camera: zoom level and centre in degrees. */
export interface MapView {
  zoom: number;
  lat: number;
  lon: number;
  /** What the map shows, [west, south, east, north] (not written to the URL) */
  bounds?: [number, number, number, number];
}

export interface UrlState {
  view?: MapView;
  /** Area id (`clip.areas.list`) */
  area?: string;
  /** Mosaic type previewed on the map */
  mosaic?: string;
  /** Selected job id */
  job?: string;
}

const Id = /^[A-Za-z0-9][\w.-]{0,127}$/;

/** An id that may go into a URL: id-shaped, and not an API key (`gpra_…`). */
export function safeId(value: string | null | undefined): string | undefined {
  if (!value || !Id.test(value) || /^gpra_/i.test(value)) return undefined;
  return value;
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** Parse `#map=z/lat/lon&area=…&mosaic=…&job=…` (or the same as a query string); unknown keys are ignored. */
export function parseUrlState(fragment: string): UrlState {
  const params = new URLSearchParams(fragment.replace(/^[#?]/, ''));
  const out: UrlState = {};
  const map = params.get('map')?.split('/').map(Number);
  if (map && map.length === 3 && map.every(Number.isFinite)) {
    const [zoom, lat, lon] = map as [number, number, number];
    if (zoom >= 0 && zoom <= 24 && Math.abs(lat) <= 85.06 && Math.abs(lon) <= 180) out.view = { zoom, lat, lon };
  }
  const area = safeId(params.get('area'));
  if (area) out.area = area;
  const mosaic = safeId(params.get('mosaic'));
  if (mosaic) out.mosaic = mosaic;
  const job = safeId(params.get('job'));
  if (job) out.job = job;
  return out;
}

/** The fragment for a state (with the leading `#`; `''` when empty). Zoom to 2 decimals, degrees to 6 (~0.1 m). */
export function formatUrlState(state: UrlState): string {
  const parts: string[] = [];
  if (state.view) parts.push(`map=${round(state.view.zoom, 2)}/${round(state.view.lat, 6)}/${round(state.view.lon, 6)}`);
  for (const key of ['area', 'mosaic', 'job'] as const) {
    const v = safeId(state[key]);
    if (v) parts.push(`${key}=${encodeURIComponent(v)}`);
  }
  return parts.length > 0 ? `#${parts.join('&')}` : '';
}

/** The areas: choose one, read its facts, switch and tune its layers (footprints, capture dates, mosaic preview). */
import type { MosaicEntry } from '../../../src/client/index.js';
import { areas, currentArea, layers, selectArea, setPreview } from '../store.js';
import { colourAt, DateRamp, isoDay } from '../state/capture.colors.js';
import { when } from './common.js';

function DateFilter() {
  const c = areas.captures.value;
  if (!c) return null;
  const from = layers.dateFrom.value ?? c.first;
  const to = layers.dateTo.value ?? c.last;
  const shown = c.features.filter((f) => f.properties.day >= from && f.properties.day <= to).length;
  return (
    <fieldset class="date-filter">
      <legend>Capture dates</legend>
      <div class="legend-ramp" aria-hidden="true" style={{ background: `linear-gradient(to right, ${DateRamp.join(', ')})` }} />
      <div class="legend-ends"><span>{isoDay(c.first)}</span><span>{isoDay(c.last)}</span></div>
      <div class="row">
        <label>From <input type="date" value={isoDay(from)} min={isoDay(c.first)} max={isoDay(c.last)}
          onInput={(e) => { const v = (e.target as HTMLInputElement).valueAsNumber; layers.dateFrom.value = Number.isFinite(v) ? Math.floor(v / 86_400_000) : undefined; }} /></label>
        <label>To <input type="date" value={isoDay(to)} min={isoDay(c.first)} max={isoDay(c.last)}
          onInput={(e) => { const v = (e.target as HTMLInputElement).valueAsNumber; layers.dateTo.value = Number.isFinite(v) ? Math.floor(v / 86_400_000) : undefined; }} /></label>
      </div>
      <p class="hint">{shown} of {c.features.length} capture polygons shown.</p>
      <ul class="captures">
        {c.features.map((f) => (
          <li key={`${f.properties.capture_date}-${String(f.properties.mosaic_type)}`} class={f.properties.day < from || f.properties.day > to ? 'dim' : ''}>
            <span class="swatch" style={{ background: colourAt(f.properties.t) }} aria-hidden="true" />
            {f.properties.capture_date.slice(0, 10)} · {f.properties.mosaic_type ?? 'all mosaics'}
          </li>
        ))}
      </ul>
    </fieldset>
  );
}

export function AreaPanel() {
  const area = currentArea.value;
  return (
    <section aria-labelledby="area-heading">
      <h2 id="area-heading" class="visually-hidden">Areas and layers</h2>
      {areas.error.value ? <p class="error" role="alert">{areas.error.value}</p> : null}
      <label for="area-select">Area</label>
      <select id="area-select" value={areas.selected.value ?? ''} onChange={(e) => void selectArea((e.target as HTMLSelectElement).value, { fit: true })}>
        {areas.list.value.length === 0 ? <option value="">No areas</option> : null}
        {areas.list.value.map((a) => <option key={a.id} value={a.id} disabled={!!a.error}>{a.title}{a.error ? ' (unreadable)' : ''}</option>)}
      </select>
      {area ? (
        <div class="area-card">
          {area.description ? <p>{area.description}</p> : null}
          <dl>
            <dt>Mosaics</dt><dd>{area.mosaic_types.join(', ') || 'none'}</dd>
            <dt>Captured</dt><dd>{area.capture_date_range ? `${when(area.capture_date_range.start).replace(/,.*$/, '')} – ${when(area.capture_date_range.end).replace(/,.*$/, '')}` : 'unknown'}</dd>
            {areas.mosaics.value.map((m) => 'error' in m
              ? [<dt key={`${m.mosaic_type}-t`}>{m.mosaic_type}</dt>, <dd key={`${m.mosaic_type}-d`} class="error">{m.error}</dd>]
              : [<dt key={`${m.mosaic_type}-t`}>{m.mosaic_type}</dt>, <dd key={`${m.mosaic_type}-d`}>{describeMosaic(m)}</dd>])}
          </dl>
          {area.error ? <p class="error">{area.error}</p> : null}
        </div>
      ) : null}
      <fieldset>
        <legend>Layers</legend>
        <label class="check"><input type="checkbox" checked={layers.footprints.value} onChange={(e) => { layers.footprints.value = (e.target as HTMLInputElement).checked; }} /> Area footprints</label>
        <label class="check"><input type="checkbox" checked={layers.captures.value} onChange={(e) => { layers.captures.value = (e.target as HTMLInputElement).checked; }} /> Capture-date polygons</label>
        <label for="preview-select">Mosaic preview</label>
        <select id="preview-select" value={layers.preview.value ?? ''} onChange={(e) => setPreview((e.target as HTMLSelectElement).value || undefined)}>
          <option value="">None</option>
          {(area?.mosaic_types ?? []).map((t) => <option key={t} value={t}>{t}</option>)}
        </select>
        <label for="preview-opacity">Preview opacity: {Math.round(layers.previewOpacity.value * 100)} %</label>
        <input id="preview-opacity" type="range" min={0} max={1} step={0.05} value={layers.previewOpacity.value}
          onInput={(e) => { layers.previewOpacity.value = Number((e.target as HTMLInputElement).value); }} />
      </fieldset>
      {layers.captures.value ? <DateFilter /> : null}
    </section>
  );
}

function describeMosaic(m: Exclude<MosaicEntry, { error: string }>): string {
  return [`${m.bands} band${m.bands === 1 ? '' : 's'}`, m.data_type, `${m.resolution_m[0].toFixed(2)} m`, m.epsg ? `EPSG:${m.epsg}` : 'custom CRS'].join(' · ');
}

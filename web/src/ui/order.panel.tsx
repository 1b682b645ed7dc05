/**
 * The order: the AOI (drawn, edited, uploaded or pasted) with its area, vertices and limits; the mosaic
 * types and names; the server's quote and the balance; confirm and order (once: one Idempotency-Key
 * per order); the same order as code.
 */
import { useState } from 'preact/hooks';
import { readAoiFile, AoiFileTypes } from '../files/aoi.files.js';
import { bboxOf, isEditable, readAoiText, rectangle } from '../state/aoi.check.js';
import { orderSnippets, type Snippets } from '../state/code.snippets.js';
import { aoiCheck, auth, currentArea, order, orderRequest, placeOrder, setAoi, ui } from '../store.js';
import { bytes, CopyField, Dialog, FieldMessages, km2 } from './common.js';

function AoiTools() {
  const [paste, setPaste] = useState('');
  const [busy, setBusy] = useState(false);
  const aoi = order.aoi.value;
  const mode = ui.drawMode.value;
  const draw = (m: typeof mode): void => { ui.drawMode.value = mode === m ? 'off' : m; };
  const upload = async (e: Event): Promise<void> => {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    setBusy(true);
    try {
      const read = await readAoiFile(file);
      ui.drawMode.value = 'off';
      setAoi({ geometry: read.geometry, ...(read.name ? { name: read.name } : {}), source: file.name });
      ui.fit.value = { bbox: bboxOf(read.geometry), nonce: Date.now() };
    } catch (err) {
      order.aoiError.value = (err as Error).message;
    } finally {
      setBusy(false);
    }
  };
  const usePaste = (): void => {
    try {
      const read = readAoiText(paste);
      ui.drawMode.value = 'off';
      setAoi({ geometry: read.geometry, ...(read.name ? { name: read.name } : {}), source: 'pasted GeoJSON' });
      ui.fit.value = { bbox: bboxOf(read.geometry), nonce: Date.now() };
      setPaste('');
    } catch (err) {
      order.aoiError.value = `Pasted text: ${(err as Error).message}`;
    }
  };
  // Without a mouse: pan and zoom with the keyboard, then take the visible map as a rectangle (inset a little).
  const useView = (): void => {
    const b = ui.view.value?.bounds;
    if (!b) return;
    const [w, s, e, n] = b;
    const dx = (e - w) * 0.1, dy = (n - s) * 0.1;
    ui.drawMode.value = 'off';
    setAoi({ geometry: rectangle([w + dx, s + dy, e - dx, n - dy]), source: 'the map view' });
  };
  const editable = aoi ? isEditable(aoi.geometry) : false;
  return (
    <fieldset aria-describedby="aoi-help">
      <legend>Area of interest</legend>
      <p id="aoi-help" class="hint">
        {mode === 'polygon' ? 'Click the map to add corners; click the first corner or press Enter to finish, Escape to cancel.'
          : mode === 'rectangle' ? 'Click one corner on the map, then the opposite corner.'
            : mode === 'edit' ? 'Drag corners to move them, drag the small midpoints to add one, right-click a corner to remove it.'
              : 'Draw on the map, upload a file (GeoJSON, KML, KMZ, zipped Shapefile) or paste GeoJSON.'}
      </p>
      <div class="button-row">
        <button type="button" class="secondary" aria-pressed={mode === 'polygon'} onClick={() => draw('polygon')}>Draw polygon</button>
        <button type="button" class="secondary" aria-pressed={mode === 'rectangle'} onClick={() => draw('rectangle')}>Draw rectangle</button>
        <button type="button" class="secondary" aria-pressed={mode === 'edit'} disabled={!editable && mode !== 'edit'} onClick={() => draw('edit')}>{mode === 'edit' ? 'Done editing' : 'Edit vertices'}</button>
        <button type="button" class="secondary" disabled={!aoi} onClick={() => { ui.drawMode.value = 'off'; setAoi(undefined); }}>Clear</button>
        <button type="button" class="secondary" disabled={!ui.view.value?.bounds} onClick={useView}>Use the map view</button>
      </div>
      {aoi && !editable ? <p class="hint">This AOI has {aoi.geometry.type === 'MultiPolygon' ? 'several polygons' : 'holes'}: it is shown and ordered as it is, but the drawing tool cannot edit it.</p> : null}
      <label for="aoi-file">Upload an AOI file</label>
      <input id="aoi-file" type="file" accept={AoiFileTypes} disabled={busy} onChange={(e) => void upload(e)} aria-describedby="aoi-file-hint" />
      <p id="aoi-file-hint" class="hint">Read in this browser; nothing is sent until you order.</p>
      <details>
        <summary>Paste GeoJSON</summary>
        <label for="aoi-paste">GeoJSON geometry, Feature or FeatureCollection</label>
        <textarea id="aoi-paste" rows={5} spellcheck={false} value={paste} onInput={(e) => setPaste((e.target as HTMLTextAreaElement).value)} />
        <button type="button" class="secondary" disabled={!paste.trim()} onClick={usePaste}>Use pasted GeoJSON</button>
      </details>
      {order.aoiError.value ? <p class="error" role="alert">{order.aoiError.value}</p> : null}
    </fieldset>
  );
}

function AoiFacts() {
  const check = aoiCheck.value;
  const aoi = order.aoi.value;
  const issues = [...(order.quote.value.issues?.aoi_geometry ?? []), ...(order.submit.value.issues?.aoi_geometry ?? []), ...(check?.problems ?? [])];
  const limits = order.limits.value;
  return (
    <div class="aoi-facts" aria-live="polite">
      {check && aoi ? (
        <dl>
          <dt>AOI</dt><dd data-testid="aoi-source">{aoi.name ?? 'unnamed'} ({aoi.source})</dd>
          <dt>Area</dt><dd data-testid="aoi-area">≈ {km2(check.areaKm2)}</dd>
          <dt>Vertices</dt><dd data-testid="aoi-vertices">{check.vertices.toLocaleString('en')} of at most {limits.max_vertices.toLocaleString('en')}</dd>
          {check.polygons > 1 || check.holes > 0 ? <><dt>Shape</dt><dd>{check.polygons} polygon{check.polygons === 1 ? '' : 's'}, {check.holes} hole{check.holes === 1 ? '' : 's'}</dd></> : null}
          <dt>Request</dt><dd>{bytes(check.bodyBytes)} of at most {bytes(limits.max_body_bytes)}</dd>
        </dl>
      ) : <p class="hint">No AOI yet. Limits: at most {limits.max_vertices.toLocaleString('en')} vertices and {bytes(limits.max_body_bytes)} per order; the AOI must overlap the area's data.</p>}
      <FieldMessages id="aoi-issues" messages={issues} />
    </div>
  );
}

function QuoteBox() {
  const q = order.quote.value;
  if (!orderRequest.value) return <p class="hint">Choose an area, at least one mosaic type and an AOI to see the cost.</p>;
  if (q.loading && !q.value) return <p class="quote" aria-busy="true">Pricing…</p>;
  if (q.error && !q.issues?.aoi_geometry) return <p class="error" role="alert">{q.error}</p>;
  if (!q.value) return null;
  const v = q.value;
  return (
    <div class={`quote${q.loading ? ' stale' : ''}`} data-testid="quote" aria-live="polite">
      <p class="cost">This order holds <strong data-testid="quote-cost">{km2(v.cost_km2)}</strong> of credits</p>
      <ul>{v.outputs.map((o) => <li key={o.mosaic_type}>{o.mosaic_type}: {km2(o.area_km2)} of AOI within the data</li>)}</ul>
      <p data-testid="quote-balance">Balance: {v.balance.available_km2 === null ? 'unlimited' : km2(v.balance.available_km2)}{v.balance.held_km2 > 0 ? ` (${km2(v.balance.held_km2)} held by running jobs)` : ''}</p>
      {!v.sufficient ? <p class="error" role="alert">Your balance does not cover this order: draw a smaller AOI, order fewer mosaics, or ask an administrator for credits.</p> : null}
      <p class="hint">Held when you order; charged when the job completes; released if it fails or you delete it first.</p>
    </div>
  );
}

function CodeBox() {
  const body = orderRequest.value;
  const [lang, setLang] = useState<keyof Snippets>('curl');
  if (!body) return null;
  const snippets = orderSnippets(location.origin, body as never);
  const names: Record<keyof Snippets, string> = { curl: 'curl', python: 'Python SDK', typescript: 'TypeScript SDK', cli: 'CLI' };
  return (
    <details class="code-box">
      <summary>Copy as code</summary>
      <div role="tablist" aria-label="Language" class="button-row">
        {(Object.keys(names) as (keyof Snippets)[]).map((k) => (
          <button key={k} type="button" role="tab" aria-selected={lang === k} class={lang === k ? 'tab active' : 'tab'} onClick={() => setLang(k)}>{names[k]}</button>
        ))}
      </div>
      <CopyField label={`${names[lang]} command`} value={snippets[lang]} multiline />
      <p class="hint">Set <code>GEOPERA_API_TOKEN</code> to your API key first; this page never shows its own credential.</p>
    </details>
  );
}

export function OrderPanel() {
  const area = currentArea.value;
  const canOrder = auth.session.value?.can('clip:write') ?? false;
  const q = order.quote.value;
  const sub = order.submit.value;
  const ready = !!orderRequest.value && !!q.value && q.value.sufficient && !q.loading && (aoiCheck.value?.problems.length ?? 0) === 0;
  return (
    <section aria-labelledby="order-heading">
      <h2 id="order-heading" class="visually-hidden">Order a clip</h2>
      <p class="hint">Area: <strong>{area?.title ?? 'none selected'}</strong></p>
      <AoiTools />
      <AoiFacts />
      <fieldset aria-describedby={sub.issues?.mosaic_types || q.issues?.mosaic_types ? 'types-issues' : undefined}>
        <legend>Mosaic types to clip</legend>
        {(area?.mosaic_types ?? []).map((t) => (
          <label key={t} class="check"><input type="checkbox" name="mosaic_types" value={t} checked={order.types.value.includes(t)}
            onChange={() => { order.types.value = order.types.value.includes(t) ? order.types.value.filter((x) => x !== t) : [...order.types.value, t]; }} /> {t}</label>
        ))}
        <FieldMessages id="types-issues" messages={[...(q.issues?.mosaic_types ?? []), ...(sub.issues?.mosaic_types ?? [])]} />
      </fieldset>
      <label for="aoi-name">AOI name (optional)</label>
      <input id="aoi-name" value={order.aoiName.value} maxLength={200} onInput={(e) => { order.aoiName.value = (e.target as HTMLInputElement).value; }} />
      <FieldMessages id="aoi-name-issues" messages={sub.issues?.aoi_name} />
      <label for="project-id">Project (optional)</label>
      <input id="project-id" value={order.projectId.value} maxLength={200} onInput={(e) => { order.projectId.value = (e.target as HTMLInputElement).value; }} />
      <QuoteBox />
      {sub.error && !sub.issues?.aoi_geometry ? <p class="error" role="alert">{sub.error}</p> : null}
      {!canOrder && auth.session.value ? <p class="hint">Your key cannot order (it lacks the clip:write permission).</p> : null}
      <button type="button" class="primary" disabled={!ready || !canOrder || sub.loading} onClick={() => { order.confirming.value = true; }}>
        {q.value && ready ? `Order for ${km2(q.value.cost_km2)}…` : 'Order…'}
      </button>
      <CodeBox />
      <Dialog open={order.confirming.value} title="Confirm the order" onClose={() => { order.confirming.value = false; }}>
        {q.value ? (
          <div>
            <p>Clip <strong>{order.types.value.join(' and ')}</strong> of <strong>{area?.title}</strong> to the AOI <strong>{orderRequest.value?.aoi_name as string | undefined ?? 'unnamed'}</strong>.</p>
            <p><strong>{km2(q.value.cost_km2)}</strong> of credits will be held now and charged when the job completes.</p>
            <div class="button-row">
              <button type="button" class="primary" disabled={sub.loading} onClick={() => void placeOrder()} onDblClick={() => void placeOrder()}>{sub.loading ? 'Ordering…' : 'Confirm order'}</button>
              <button type="button" class="secondary" onClick={() => { order.confirming.value = false; }}>Cancel</button>
            </div>
          </div>
        ) : null}
      </Dialog>
    </section>
  );
}

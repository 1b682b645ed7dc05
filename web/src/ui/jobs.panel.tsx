/**
 * Jobs: grouped by status with live progress; one selected shows its AOI and result tiles on the map,
 * an opacity comparison with the source mosaic, its downloads (signed links, size, SHA-256), the
 * TileJSON and tile template for QGIS and other map clients, and delete with a confirmation.
 */
import { groupJobs, progressLabel, type JobView } from '../state/job.states.js';
import { auth, deleteJob, jobs, layers, refreshJobs, selectJob, ui, zoomToResult } from '../store.js';
import { bytes, CopyField, Dialog, km2, when } from './common.js';

function JobRow({ job }: { job: JobView }) {
  const selected = jobs.selected.value === job.id;
  const active = job.status === 'running' || job.status === 'queued';
  return (
    <li class={`job ${job.status}${selected ? ' selected' : ''}`}>
      <button type="button" class="job-button" aria-current={selected ? 'true' : undefined} onClick={() => void selectJob(job.id, { fit: true })}>
        <span class="job-title">{job.aoi_name ?? job.id}</span>
        <span class="job-meta">{job.area} · {job.mosaic_types?.join(', ')} · {km2(job.cost_km2)}</span>
        <span class="job-status" data-testid={`status-${job.id}`}>{progressLabel(job)}</span>
        {active ? <progress max={1} value={job.status === 'queued' ? undefined : job.progress} aria-label={`Progress of ${job.aoi_name ?? job.id}`} /> : null}
        <span class="job-meta">Ordered {when(job.created_at)}{job.finished_at ? ` · finished ${when(job.finished_at)}` : ''}</span>
      </button>
    </li>
  );
}

function Group({ title, list }: { title: string; list: JobView[] }) {
  if (list.length === 0) return null;
  const id = `jobs-${title.toLowerCase().replace(/\W+/g, '-')}`;
  return (
    <section aria-labelledby={id}>
      <h3 id={id}>{title} <span class="count">({list.length})</span></h3>
      <ul class="jobs">{list.map((j) => <JobRow key={j.id} job={j} />)}</ul>
    </section>
  );
}

function JobDetail() {
  const d = jobs.detail.value;
  const id = jobs.selected.value;
  if (!id) return null;
  const job = d.job;
  const tj = d.tiles;
  const template = tj?.tiles[0];
  const canDelete = auth.session.value?.can('clip:destroy') ?? false;
  return (
    <section class="job-detail card" aria-labelledby="job-detail-title">
      <div class="detail-head">
        <h3 id="job-detail-title">{job?.aoi_name ?? id}</h3>
        <button type="button" class="secondary" onClick={() => void selectJob(undefined)}>Close</button>
      </div>
      {d.error ? <p class="error" role="alert">{d.error}</p> : null}
      {!job && !d.error ? <p aria-busy="true">Loading…</p> : null}
      {job ? (
        <dl>
          <dt>Job</dt><dd><code>{job.id}</code></dd>
          <dt>Status</dt><dd data-testid="detail-status">{progressLabel(job)}</dd>
          <dt>Cost</dt><dd>{km2(job.cost_km2)}</dd>
          <dt>Ordered</dt><dd>{when(job.created_at)}</dd>
          {job.project_id ? <><dt>Project</dt><dd>{job.project_id}</dd></> : null}
          {job.expired_at ? <><dt>Files</dt><dd data-testid="detail-expiry">deleted {when(job.expired_at)} (retention)</dd></> : null}
          {!job.expired_at && job.expires_at ? <><dt>Files kept until</dt><dd data-testid="detail-expiry">{when(job.expires_at)}</dd></> : null}
          {job.stac_url && !job.expired_at ? <><dt>STAC</dt><dd><a href={job.stac_url} target="_blank" rel="noopener">Item (JSON)</a></dd></> : null}
        </dl>
      ) : null}
      {tj ? (
        <fieldset>
          <legend>Compare on the map</legend>
          {(ui.view.value?.zoom ?? 0) < tj.minzoom ? <p class="hint">The result is drawn from zoom level {tj.minzoom}; the map is at {(ui.view.value?.zoom ?? 0).toFixed(1)}.</p> : null}
          <button type="button" class="secondary" onClick={zoomToResult}>Zoom to the result</button>
          <label for="result-opacity">Result opacity: {Math.round(layers.resultOpacity.value * 100)} %</label>
          <input id="result-opacity" type="range" min={0} max={1} step={0.05} value={layers.resultOpacity.value}
            onInput={(e) => { layers.resultOpacity.value = Number((e.target as HTMLInputElement).value); }} />
          <label class="check"><input type="checkbox" checked={layers.compareSource.value} onChange={(e) => { layers.compareSource.value = (e.target as HTMLInputElement).checked; }} /> Show the source mosaic underneath</label>
        </fieldset>
      ) : null}
      {d.downloads && d.downloads.length > 0 ? (
        <section aria-labelledby="downloads-title">
          <h4 id="downloads-title">Downloads</h4>
          <ul class="downloads">
            {d.downloads.map((f) => (
              <li key={f.file_name}>
                <a href={f.url} download={f.file_name} data-sha256={f.sha256}>{f.file_name}</a> <span class="hint">{bytes(f.size_bytes)} · {f.mosaic_type}</span>
                <div class="sha">SHA-256 <code data-testid="sha256">{f.sha256}</code></div>
              </li>
            ))}
          </ul>
          <p class="hint">Links are signed and expire at {when(d.downloads[0]!.expires_at)}; reopen the job for fresh ones.</p>
        </section>
      ) : null}
      {tj && template ? (
        <section aria-labelledby="tiles-title">
          <h4 id="tiles-title">Map tiles</h4>
          <CopyField label="XYZ tile template (QGIS: XYZ Tiles → New Connection)" value={template} />
          <CopyField label="TileJSON" value={JSON.stringify(tj, null, 2)} multiline />
          <p class="hint">Signed: no key needed until {when(tj.token_expires_at)}.</p>
        </section>
      ) : null}
      {job ? (
        <button type="button" class="danger" disabled={!canDelete} onClick={() => { jobs.confirmDelete.value = true; }}>Delete job…</button>
      ) : null}
      <Dialog open={jobs.confirmDelete.value} title="Delete this job?" onClose={() => { jobs.confirmDelete.value = false; }}>
        <p>This deletes job <code>{id}</code> and its files{job?.status === 'running' || job?.status === 'queued' ? ', stops it, and releases its held credits' : ''}. It cannot be undone.</p>
        <div class="button-row">
          <button type="button" class="danger" disabled={jobs.deleting.value} onClick={() => void deleteJob(id)}>{jobs.deleting.value ? 'Deleting…' : 'Delete'}</button>
          <button type="button" class="secondary" onClick={() => { jobs.confirmDelete.value = false; }}>Keep it</button>
        </div>
      </Dialog>
    </section>
  );
}

export function JobsPanel() {
  const g = groupJobs(jobs.list.value);
  return (
    <section aria-labelledby="jobs-heading">
      <div class="detail-head">
        <h2 id="jobs-heading">Jobs</h2>
        <button type="button" class="secondary" onClick={refreshJobs}>Refresh</button>
      </div>
      {jobs.error.value ? <p class="error" role="alert">{jobs.error.value}</p> : null}
      <JobDetail />
      {jobs.list.value.length === 0 ? <p class="hint">No jobs yet. Draw an AOI in the Order tab to make one.</p> : null}
      <Group title="Running and queued" list={g.active} />
      <Group title="Completed" list={g.completed} />
      <Group title="Failed and canceled" list={g.ended} />
    </section>
  );
}

/**
 * Jobs as the page shows them: grouped by status, merged from successive reads (polling today, an
 * event stream later: both feed `mergeJobs`), with progress in words and the poll pace.
 */

/** The job fields the page reads (a subset of `clip.job.get`). */
export interface JobView {
  id: string;
  status: 'queued' | 'running' | 'completed' | 'failed' | 'canceled';
  progress: number;
  stage: string | null;
  area?: string;
  mosaic_types?: string[];
  aoi_name: string | null;
  project_id?: string | null;
  cost_km2: number;
  created_at: string;
  updated_at: string;
  finished_at?: string | null;
  error?: { code: string; message: string };
  /** When the outputs are deleted (the org's retention), or null to keep them */
  expires_at?: string | null;
  /** When the retention sweeper deleted them */
  expired_at?: string | null;
  /** A signed link to the job's STAC Item (completed jobs) */
  stac_url?: string;
}

export const FinalStatuses = new Set<JobView['status']>(['completed', 'failed', 'canceled']);

export interface JobGroups {
  /** Running first, then queued; newest first in each */
  active: JobView[];
  completed: JobView[];
  /** Failed and canceled */
  ended: JobView[];
}

const newestFirst = (a: JobView, b: JobView): number => b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id);

export function groupJobs(jobs: readonly JobView[]): JobGroups {
  const running = jobs.filter((j) => j.status === 'running').sort(newestFirst);
  const queued = jobs.filter((j) => j.status === 'queued').sort(newestFirst);
  return {
    active: [...running, ...queued],
    completed: jobs.filter((j) => j.status === 'completed').sort(newestFirst),
    ended: jobs.filter((j) => j.status === 'failed' || j.status === 'canceled').sort(newestFirst),
  };
}

/** Whether a read is newer than what is held (a late answer must not move a job back). */
function isNewer(next: JobView, held: JobView): boolean {
  if (FinalStatuses.has(held.status) && !FinalStatuses.has(next.status)) return false;
  return next.updated_at >= held.updated_at;
}

export interface Merged {
  jobs: JobView[];
  /** Ids whose status changed (e.g. to announce "completed") */
  statusChanged: string[];
  /** Whether anything visible changed */
  changed: boolean;
}

/**
 * Merge a read into the held list. `complete` says the read is the whole list (a jobs.list page), so jobs
 * missing from it were deleted; a single job's read (`clip.job.get`, an event) only updates or adds.
 */
export function mergeJobs(held: readonly JobView[], read: readonly JobView[], complete: boolean): Merged {
  const byId = new Map(held.map((j) => [j.id, j]));
  const statusChanged: string[] = [];
  let changed = false;
  for (const next of read) {
    const before = byId.get(next.id);
    if (before && !isNewer(next, before)) continue;
    if (!before || before.status !== next.status) statusChanged.push(next.id);
    if (!before || before.updated_at !== next.updated_at || before.progress !== next.progress || before.status !== next.status) changed = true;
    byId.set(next.id, next);
  }
  if (complete) {
    const seen = new Set(read.map((j) => j.id));
    for (const id of [...byId.keys()]) if (!seen.has(id)) { byId.delete(id); changed = true; }
  }
  return { jobs: [...byId.values()].sort(newestFirst), statusChanged: knownBefore(held, statusChanged), changed };
}

function knownBefore(held: readonly JobView[], ids: string[]): string[] {
  const known = new Set(held.map((j) => j.id));
  return ids.filter((id) => known.has(id));
}

const StatusWords: Record<JobView['status'], string> = {
  queued: 'Queued',
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  canceled: 'Canceled',
};

/** "Running · 42 % · clipping" / "Completed" / "Failed: <message>" */
export function progressLabel(job: JobView): string {
  if (job.status === 'running') return [`Running`, `${Math.floor(job.progress * 100)} %`, job.stage ?? ''].filter(Boolean).join(' · ');
  if (job.status === 'queued') return 'Queued, waiting for a worker';
  if (job.status === 'failed') return `Failed: ${job.error?.message ?? 'unknown error'}`;
  return StatusWords[job.status];
}

/**
 * Milliseconds until the next poll: nothing to watch → none; 1 s while jobs move, slowing by half each
 * unchanged poll up to 5 s.
 */
export function nextPollMs(activeJobs: number, unchangedPolls: number): number | undefined {
  if (activeJobs === 0) return undefined;
  return Math.min(5000, Math.round(1000 * 1.5 ** unchangedPolls));
}

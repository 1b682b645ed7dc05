/**
 * What an event says, the same on both channels: `{type, timestamp, data}` with `data` the job resource at
 * the time of the event. Webhooks carry it as `clip.job.get` answers it (with `aoi_geometry`); the event
 * stream as `clip.jobs.list` shows it (without, so that progress events stay small).
 */
import { toJobResource, type JobResource } from '../jobs/job.resource.js';
import type { JobEventRow } from '../storage/event.store.js';
import type { JobRow } from '../storage/job.store.js';

export interface EventPayload {
  type: string;
  /** ISO 8601 time of the change */
  timestamp: string;
  data: JobResource & { aoi_geometry?: unknown };
}

/** The payload of an event; with `aoi` (the job's AOI JSON) the job resource includes `aoi_geometry`. */
export function eventPayload(e: Pick<JobEventRow, 'type' | 'created_at' | 'job'>, aoi?: string): EventPayload {
  const row = { aoi: aoi ?? 'null', ...(JSON.parse(e.job) as Omit<JobRow, 'aoi'>) } as JobRow;
  const data = toJobResource(row);
  return { type: e.type, timestamp: e.created_at, data: aoi === undefined ? data : { ...data, aoi_geometry: JSON.parse(aoi) as unknown } };
}

/** Retention as the readers of a job's files see it. */
import { AppError } from '../errors/app.error.js';
import type { JobRow } from '../storage/job.store.js';

/** The files of an expired job are gone: 410 `job_expired` (downloads, tiles, the STAC Item). */
export function assertNotExpired(job: Pick<JobRow, 'id' | 'expired_at'>): void {
  if (job.expired_at) {
    throw new AppError('job_expired', `The files of job "${job.id}" were removed at ${job.expired_at} (the retention policy); the job's record stays`, { extra: { expired_at: job.expired_at } });
  }
}

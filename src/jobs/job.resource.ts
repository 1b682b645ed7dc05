/** The job object the API answers (CONTRACT "Jobs"), shaped from a row. */
import type { JobRow } from '../storage/job.store.js';

export interface JobResource {
  id: string;
  organization_id: string;
  status: JobRow['status'];
  progress: number;
  stage: string | null;
  area?: string;
  mosaic_types?: string[];
  source_item_id?: string;
  asset_keys?: string[];
  aoi_name: string | null;
  project_id: string | null;
  output_name?: string | null;
  cost_km2: number;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  finished_at: string | null;
  /** When the job's files end (retention); null: kept for ever, or not completed */
  expires_at: string | null;
  /** Signed GET of the job's STAC Item (completed jobs whose files are kept; `clip.job.get` and `clip.jobs.list`) */
  stac_url?: string;
  /** When the retention sweeper removed its files (downloads and tiles then answer 410 `job_expired`) */
  expired_at: string | null;
  error?: { code: string; message: string };
}

export function toJobResource(row: JobRow): JobResource {
  const outputs = JSON.parse(row.outputs_requested) as string[];
  return {
    id: row.id,
    organization_id: row.org_id,
    status: row.status,
    progress: Math.round(row.progress * 1000) / 1000,
    stage: row.stage,
    ...(row.kind === 'area' ? { area: row.area ?? '', mosaic_types: outputs } : { source_item_id: row.source_item_id ?? '', asset_keys: outputs, output_name: row.output_name }),
    aoi_name: row.aoi_name,
    project_id: row.project_id,
    cost_km2: Math.round(row.cost_km2 * 1e6) / 1e6,
    created_at: row.created_at,
    updated_at: row.updated_at,
    started_at: row.started_at,
    finished_at: row.finished_at,
    expires_at: row.expires_at ?? null,
    expired_at: row.expired_at ?? null,
    ...(row.status === 'failed' ? { error: { code: row.error_code ?? 'internal_error', message: row.error_message ?? 'failed' } } : {}),
  };
}

/**
 * Wire schemas of the operations' inputs (zod 4), shared by the server, the OpenAPI document, the
 * TypeScript client and the CLI. Fields, types and required flags follow the operations reference and
 * the hosted API's published schemas (`geopera-openapi-clip.json`); unknown fields are ignored.
 */
import { z } from 'zod';

const optionalString = z.string().nullish();

/** `_Empty` */
export const EmptyInput = z.object({});

/** `_Area` */
export const AreaInput = z.object({ area: z.string() });

/** `ClipCreateFromAreaInput` */
export const CreateFromAreaInput = z.object({
  area: z.string(),
  mosaic_types: z.array(z.string()),
  aoi_geometry: z.record(z.string(), z.unknown()),
  aoi_name: optionalString,
  project_id: optionalString,
  organization_id: z.string(),
});

/** `clip.create_from_item`: free-form in the hosted schema; its handler validates what it reads (see `CreateFromItemFields`). */
export const CreateFromItemInput = z.looseObject({});

/** What `clip.create_from_item` reads from its free-form body (documented fields plus aliases). */
export const CreateFromItemFields = z.object({
  source_item_id: z.string().optional(),
  item_id: z.string().optional(),
  aoi_geometry: z.record(z.string(), z.unknown()),
  asset_keys: z.array(z.string()).nullish(),
  assets: z.array(z.string()).nullish(),
  project_id: optionalString,
  output_name: optionalString,
  organization_id: optionalString,
  aoi_name: optionalString,
});

/** `ClipJobInput` */
export const JobInput = z.object({ job_id: z.string() });

/** `ClipJobDeleteInput` */
export const JobDeleteInput = z.object({ job_id: z.string() });

/** `ClipDownloadInput` */
export const DownloadInput = z.object({
  job_id: z.string(),
  mosaic_type: z.string(),
  user_agent: optionalString,
  requester_ip: optionalString,
});

/** `clip.job.tile_info` takes `ClipJobInput` plus an optional mosaic type. */
export const TileInfoInput = z.object({ job_id: z.string(), mosaic_type: optionalString });

export const JobStatusValues = ['queued', 'running', 'completed', 'failed', 'canceled'] as const;

/** `ClipJobsListInput` */
export const JobsListInput = z.object({
  organization_id: z.string(),
  /** One of `JobStatusValues`; any other value matches no job */
  status: z.string().nullish(),
  /** Clamped to 1..1000 (the hosted schema accepts any integer) */
  limit: z.number().int().default(50).transform((n) => Math.min(1000, Math.max(1, n))),
  /** Clamped to >= 0 */
  offset: z.number().int().default(0).transform((n) => Math.max(0, n)),
});

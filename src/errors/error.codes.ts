/**
 * Every stable error code geopera answers with, and the HTTP status it maps to.
 * This is the one table that turns a code into a status: code elsewhere throws `AppError(code, …)`.
 */
export const ErrorStatus = {
  invalid_json: 400,
  idempotency_key_invalid: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  token_expired: 401,
  invalid_signature: 401,
  insufficient_credits: 402,
  missing_scope: 403,
  not_found: 404,
  unknown_operation: 404,
  area_not_found: 404,
  mosaic_not_found: 404,
  item_not_found: 404,
  job_not_found: 404,
  organization_not_found: 404,
  output_not_found: 404,
  method_not_allowed: 405,
  not_acceptable: 406,
  idempotency_key_reused: 409,
  idempotency_key_in_flight: 409,
  job_not_ready: 409,
  conflict: 409,
  // A completed job's files were removed by the retention sweeper (its row and ledgers stay).
  job_expired: 410,
  payload_too_large: 413,
  range_not_satisfiable: 416,
  unsupported_media_type: 415,
  invalid_input: 422,
  invalid_aoi: 422,
  aoi_outside_area: 422,
  aoi_too_large: 422,
  asset_outside_data_dir: 422,
  rate_limited: 429,
  egress_quota_exceeded: 429,
  too_many_auth_failures: 429,
  too_many_streams: 429,
  internal_error: 500,
  not_implemented: 501,
  unavailable: 503,
  // A mosaic was replaced, truncated or written over while it was read (a local file's size or time moved, an
  // object's ETag answered 412): nothing was made from the mix; trying again reads the new version.
  source_changed: 503,
  // The data directory has less free space than GEOPERA_MIN_FREE_MB: creates are refused before anything is written.
  insufficient_storage: 507,
  // A job's own failures (job.error.code; a request never answers them).
  disk_full: 507,
  worker_crashed: 500,
  worker_out_of_memory: 500,
  // Raster engine failures: a bad input file is the operator's data, not a bug, but it is not the caller's either.
  invalid_tiff: 422,
  unsupported_compression: 422,
  unsupported_tiff: 422,
  raster_too_large: 422,
  tile_too_large: 422,
  truncated_tiff: 422,
  unsupported_crs: 422,
} as const satisfies Record<string, number>;

/** A stable snake_case error code. */
export type ErrorCode = keyof typeof ErrorStatus;

/** The HTTP status for a code. */
export function statusOf(code: ErrorCode): number {
  return ErrorStatus[code];
}

/** Whether a string is one of our codes (for errors that crossed a worker boundary as plain data). */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ErrorStatus, code);
}

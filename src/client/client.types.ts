/**
 * Types of the client, derived from the operations registry: a new operation, a renamed field or a
 * changed required flag in `op.schemas.ts` is a compile error wherever the client is called wrongly.
 */
import type { z } from 'zod';
import type { AreaSummary } from '../catalog/area.catalog.js';
import type { CaptureFeature } from '../catalog/capture.dates.js';
import type { MosaicDescription } from '../catalog/mosaic.describe.js';
import type { JobResource } from '../jobs/job.resource.js';
import type { CreateFromItemFields } from '../operations/op.schemas.js';
import type { Operations } from '../operations/registry.js';

type Registry = typeof Operations;

/** Every operation id the registry declares, e.g. `'clip.job.get'`. */
export type OperationId = keyof Registry & string;

/** The response kind the registry declares for an operation (`object`, `list`, `file`, `job`). */
export type ResponseKindOf<K extends OperationId> = Registry[K]['response'];

/**
 * The request body of an operation: the input side of its zod schema (defaults optional).
 * `clip.create_from_item` is free-form on the wire; its documented fields are typed on top.
 */
export type OperationInput<K extends OperationId> = z.input<Registry[K]['input']> &
  (K extends 'clip.create_from_item' ? z.input<typeof CreateFromItemFields> : unknown);

/** A job as the API answers it. */
export type Job = JobResource;

/** A download descriptor (`clip.job.downloads` items): a short-lived signed GET link to one output. */
export interface DownloadDescriptor {
  mosaic_type: string;
  file_name: string;
  /** File size in bytes */
  size_bytes: number;
  media_type: string;
  /** Hex SHA-256 of the file */
  sha256: string;
  /** Signed GET link (no headers needed), egress-enforced and Range-capable */
  url: string;
  /** ISO 8601 expiry of `url` */
  expires_at: string;
}

/** What `clip.quote_from_area` answers: the credits the same `clip.create_from_area` body would hold. */
export interface Quote {
  area: string;
  organization_id: string;
  /** Credits the order would hold, km² (the sum of `outputs`) */
  cost_km2: number;
  /** Per output: the AOI's ellipsoidal area within that mosaic's data, km² */
  outputs: { mosaic_type: string; area_km2: number }[];
  aoi: { vertices: number; polygons: number; bbox: [number, number, number, number] };
  /** The org's credits now; `available_km2` null = unlimited */
  balance: { available_km2: number | null; held_km2: number; spent_km2: number };
  /** Whether the balance covers the cost (else create answers 402) */
  sufficient: boolean;
  /** What a create accepts: AOI positions and request body size */
  limits: { max_vertices: number; max_body_bytes: number };
}

/** A mosaic entry of `clip.area.mosaics`: its description, or the error that made it unreadable. */
export type MosaicEntry = MosaicDescription | { mosaic_type: string; error: string };

/**
 * What each operation answers: `json` is the one JSON document (what `invoke` returns); `item` is one
 * record of a list operation's NDJSON stream.
 */
export interface OperationShapes {
  'clip.areas.list': { json: { items: AreaSummary[] }; item: AreaSummary };
  'clip.area.mosaics': { json: { items: MosaicEntry[] }; item: MosaicEntry };
  'clip.area.metadata': { json: { type: 'FeatureCollection'; features: CaptureFeature[] }; item: CaptureFeature };
  'clip.create_from_area': { json: { job: Job }; item: never };
  'clip.create_from_item': {
    json: { job: Job; assets_to_clip: { asset_key: string; href: string; type: string | null }[]; asset_keys: string[] };
    item: never;
  };
  'clip.job.get': { json: Job & { aoi_geometry?: Record<string, unknown> }; item: never };
  'clip.jobs.list': { json: { items: Job[]; limit: number; offset: number; total: number }; item: Job };
  'clip.job.downloads': { json: { items: DownloadDescriptor[] }; item: DownloadDescriptor };
  'clip.job.download': { json: Omit<DownloadDescriptor, 'mosaic_type'> & { mosaic_type?: string }; item: never };
  'clip.job.tile_info': { json: Record<string, unknown>; item: never };
  'clip.job.delete': { json: Record<string, unknown>; item: never };
  'clip.quote_from_area': { json: Quote; item: never };
}

type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
/** Compile-time check: `OperationShapes` names exactly the registry's operations. */
export type ShapesCoverRegistry = Assert<Exact<keyof OperationShapes, OperationId>>;

/** The JSON answer of an operation (what `invoke` resolves to). */
export type OperationOutput<K extends OperationId> = OperationShapes[K]['json'];

/** One record of a list operation's stream. */
export type ListItem<K extends OperationId> = OperationShapes[K]['item'];

/** Ids of the operations that stream records (NDJSON) on request. */
export type ListOperationId = { [K in OperationId]: ResponseKindOf<K> extends 'list' ? K : never }[OperationId];

/** Ids of the operations that answer a file. */
export type FileOperationId = { [K in OperationId]: ResponseKindOf<K> extends 'file' ? K : never }[OperationId];

/**
 * The operations registry: each operation declared once. Routes, OpenAPI, the TypeScript client
 * and the CLI all derive from this map. Adding an operation = one file + one line.
 */
import { AreaMetadata } from './clip/area.metadata.op.js';
import { AreaMosaics } from './clip/area.mosaics.op.js';
import { AreasList } from './clip/areas.list.op.js';
import { CreateFromArea } from './clip/create.from.area.op.js';
import { CreateFromItem } from './clip/create.from.item.op.js';
import { JobDelete } from './clip/job.delete.op.js';
import { JobDownload } from './clip/job.download.op.js';
import { JobDownloads } from './clip/job.downloads.op.js';
import { JobGet } from './clip/job.get.op.js';
import { JobTileInfo } from './clip/job.tile.info.op.js';
import { JobsList } from './clip/jobs.list.op.js';
import { QuoteFromArea } from './clip/quote.from.area.op.js';
import type { OperationDef } from './op.types.js';

export const Operations = {
  [AreaMetadata.id]: AreaMetadata,
  [AreaMosaics.id]: AreaMosaics,
  [AreasList.id]: AreasList,
  [CreateFromArea.id]: CreateFromArea,
  [CreateFromItem.id]: CreateFromItem,
  [JobDelete.id]: JobDelete,
  [JobDownload.id]: JobDownload,
  [JobDownloads.id]: JobDownloads,
  [JobGet.id]: JobGet,
  [JobTileInfo.id]: JobTileInfo,
  [JobsList.id]: JobsList,
  [QuoteFromArea.id]: QuoteFromArea,
} as const;

/** Every operation, in id order. */
export const OperationList: readonly OperationDef[] = Object.values(Operations).sort((a, b) => a.id.localeCompare(b.id)) as OperationDef[];

/** Look an operation up by id. */
export function findOperation(id: string): OperationDef | undefined {
  return Object.hasOwn(Operations, id) ? (Operations as Record<string, OperationDef>)[id] : undefined;
}

/** The resource path of an operation: dots become slashes (`clip.job.tile_info` → `/v1/clip/job/tile_info`). */
export function resourcePath(id: string): string {
  return `/v1/${id.replaceAll('.', '/')}`;
}

/** Map tiles of clip results (issue 5 fills this in). */
import type { z } from 'zod';
import type { Principal } from '../auth/principal.js';
import type { UrlSigner } from '../auth/url.signer.js';
import type { AreaCatalog } from '../catalog/area.catalog.js';
import type { Config } from '../config.js';
import { AppError } from '../errors/app.error.js';
import type { TileInfoInput } from '../operations/op.schemas.js';
import type { RequestFacts } from '../operations/op.types.js';
import type { TileService } from '../services.js';
import type { Storage } from '../storage/storage.js';

export class TileRenderer implements TileService {
  constructor(
    readonly storage: Storage,
    readonly catalog: AreaCatalog,
    readonly signer: UrlSigner,
    readonly config: Config,
  ) {}

  async tileInfo(_principal: Principal, _input: z.output<typeof TileInfoInput>, _request: RequestFacts): Promise<Record<string, unknown>> {
    throw new AppError('not_implemented', 'clip.job.tile_info is not implemented yet');
  }

  close(): void {}
}

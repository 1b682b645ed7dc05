/** Tile GET routes (issue 5 fills this in). */
import { Router } from '@koa/router';
import type { Services } from '../services.js';
import type { TileRenderer } from './tile.service.js';

export function tileRouter(_tiles: TileRenderer) {
  return (_services: Services): Router => new Router();
}

/**
 * Caches for tile rendering, each an LRU bounded in bytes: opened files with their headers, and
 * decoded tiles (image and mask). Entries are promises, so concurrent map tiles share one header read
 * and one decode; a rejected promise is evicted at once, so a failure is not remembered.
 */
import { LRUCache } from 'lru-cache';
import { sampleBytes } from '../raster/decode/pixel.array.js';
import { decodeMaskTile, decodeTile } from '../raster/decode/tile.decode.js';
import type { StoredFile } from '../files/file.store.js';
import { readRasterInfo } from '../raster/read/raster.open.js';
import { FileSource, type Source } from '../raster/read/source.js';
import { readMaskTileBytes, readTileBytes } from '../raster/read/tile.reader.js';
import type { PixelArray, RasterInfo } from '../raster/raster.types.js';

/** An opened raster: its source and headers. `key` names this version of the file. */
export interface OpenRaster {
  key: string;
  source: Source;
  info: RasterInfo;
}

/** Opens a file for reading: a local path by default, a key of the file store in the server (`known` pins its version). */
export type SourceOpener = (file: string, known?: StoredFile) => Promise<Source>;

export interface RasterCacheOptions {
  /** Bytes of decoded tiles kept (default 128 MiB) */
  tileBytes?: number;
  /** Bytes of headers kept (default 16 MiB); each entry also holds one open file */
  headerBytes?: number;
  /** Most files kept open (default 64) */
  maxOpenFiles?: number;
  /** How files are opened (default: local paths) */
  open?: SourceOpener;
}

/** A closed entry's file is closed this long after eviction, so reads already under way finish, ms. */
const CloseDelayMs = 30_000;

/** Rough bytes of a header: the offset tables dominate. */
function headerSize(info: RasterInfo): number {
  let n = 4096 + (info.jpegTables?.length ?? 0);
  for (const l of info.levels) n += l.offsets.length * 16;
  for (const l of info.mask?.levels ?? []) n += l.offsets.length * 16;
  return n;
}

export class RasterCache {
  private readonly files: LRUCache<string, Promise<OpenRaster>>;
  private readonly tiles: LRUCache<string, Promise<PixelArray | Uint8Array>>;
  private readonly closing = new Set<NodeJS.Timeout>();
  private readonly sizes = new Map<string, number>();
  private readonly opener: SourceOpener;
  private closed = false;

  constructor(opts: RasterCacheOptions = {}) {
    this.opener = opts.open ?? ((file) => FileSource.open(file));
    this.files = new LRUCache<string, Promise<OpenRaster>>({
      max: opts.maxOpenFiles ?? 64,
      maxSize: opts.headerBytes ?? 16 * 1024 * 1024,
      sizeCalculation: (_v, key) => this.sizes.get(key) ?? 4096,
      dispose: (value, key) => {
        this.sizes.delete(key);
        value.then((r) => this.closeLater(r.source), () => undefined);
      },
    });
    this.tiles = new LRUCache<string, Promise<PixelArray | Uint8Array>>({
      maxSize: opts.tileBytes ?? 128 * 1024 * 1024,
      sizeCalculation: (_v, key) => this.sizes.get(key) ?? 1,
      dispose: (_v, key) => this.sizes.delete(key),
    });
  }

  /** Open `file` (cached under `key`, which must change when the file does; `known` pins the version read). */
  open(file: string, key: string, known?: StoredFile): Promise<OpenRaster> {
    const hit = this.files.get(key);
    if (hit) return hit;
    const p = (async () => {
      const source = await this.opener(file, known);
      try {
        return { key, source, info: await readRasterInfo(source) };
      } catch (err) {
        await source.close();
        throw err;
      }
    })();
    this.remember(this.files, key, p, 4096);
    // Size the entry by its header once known (re-set keeps the promise; only the size changes).
    p.then((r) => {
      if (this.files.peek(key) === p) {
        this.sizes.set(key, headerSize(r.info));
        this.files.set(key, p);
      }
    }, () => undefined);
    return p;
  }

  /** Decoded image tile (tx, ty) of `level`: `tileWidth × tileHeight × bands` samples, pixel-interleaved. */
  tile(r: OpenRaster, level: number, tx: number, ty: number): Promise<PixelArray> {
    const key = `${r.key}|i|${level}|${tx}|${ty}`;
    const hit = this.tiles.get(key);
    if (hit) return hit as Promise<PixelArray>;
    const lvl = r.info.levels[level]!;
    const p = readTileBytes(r.source, r.info, level, tx, ty).then((planes) => decodeTile(r.info, level, { tx, ty }, planes));
    this.remember(this.tiles, key, p, lvl.tileWidth * lvl.tileHeight * r.info.bands * sampleBytes(r.info.dataType));
    return p;
  }

  /** Decoded mask tile (0 or 255 per pixel) aligned with image `level`. */
  maskTile(r: OpenRaster, level: number, tx: number, ty: number): Promise<Uint8Array> {
    const key = `${r.key}|m|${level}|${tx}|${ty}`;
    const hit = this.tiles.get(key);
    if (hit) return hit as Promise<Uint8Array>;
    const lvl = r.info.mask!.levels[level]!;
    const p = readMaskTileBytes(r.source, r.info, level, tx, ty).then((bytes) => decodeMaskTile(r.info, level, tx, ty, bytes));
    this.remember(this.tiles, key, p, lvl.tileWidth * lvl.tileHeight);
    return p;
  }

  private remember<V>(cache: LRUCache<string, Promise<V>>, key: string, p: Promise<V>, size: number): void {
    this.sizes.set(key, Math.max(1, size));
    cache.set(key, p);
    p.catch(() => {
      if (cache.peek(key) === p) cache.delete(key);
    });
  }

  private closeLater(source: Source): void {
    if (this.closed) {
      source.close().catch(() => undefined);
      return;
    }
    const t = setTimeout(() => {
      this.closing.delete(t);
      source.close().catch(() => undefined);
    }, CloseDelayMs);
    t.unref();
    this.closing.add(t);
  }

  /** Bytes of decoded tiles held. */
  get tileBytes(): number {
    return this.tiles.calculatedSize;
  }

  /** Drop everything and close every file now. */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.closing) clearTimeout(t);
    this.closing.clear();
    const open = [...this.files.values()];
    this.files.clear(); // disposes: each file is closed now that `closed` is set
    this.tiles.clear();
    await Promise.all(open.map((p) => p.catch(() => undefined)));
  }
}

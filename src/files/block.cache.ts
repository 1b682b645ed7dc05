/**
 * A chunked, request-coalescing byte cache for remote files. A file version is cut into fixed chunks;
 * a read takes the chunks it covers from memory, joins requests already under way for the others
 * (one request serves every concurrent reader of a chunk), and fetches each run of consecutive missing
 * chunks with ONE range request. Chunks live in an LRU bounded in bytes; a failed request is not
 * remembered. Files are told apart by an id that includes their version, so a replaced file's chunks
 * are never mixed with the new ones.
 */
import { LRUCache } from 'lru-cache';

/** Fetches bytes [start, end) of one file version; must answer exactly `end - start` bytes. */
export type RangeFetch = (start: number, end: number) => Promise<Uint8Array>;

export interface BlockCacheOptions {
  /** Chunk size in bytes */
  chunkBytes: number;
  /** Bytes of chunks kept */
  maxBytes: number;
}

/** What the cache did, for tests and logs (counts, not times). */
export interface BlockCacheStats {
  /** Range requests made */
  requests: number;
  /** Bytes those requests asked for */
  bytesFetched: number;
  /** Chunks found in memory */
  chunkHits: number;
  /** Chunks taken from a request another reader had already made */
  chunkJoins: number;
}

export class BlockCache {
  readonly chunkBytes: number;
  readonly stats: BlockCacheStats = { requests: 0, bytesFetched: 0, chunkHits: 0, chunkJoins: 0 };
  private readonly chunks: LRUCache<string, Uint8Array>;
  private readonly inflight = new Map<string, Promise<Uint8Array>>();

  constructor(opts: BlockCacheOptions) {
    if (!(opts.chunkBytes > 0)) throw new RangeError(`chunkBytes must be positive, got ${opts.chunkBytes}`);
    this.chunkBytes = opts.chunkBytes;
    this.chunks = new LRUCache<string, Uint8Array>({ maxSize: Math.max(1, opts.maxBytes), sizeCalculation: (v) => Math.max(1, v.length) });
  }

  /** Bytes of chunks held now. */
  get bytes(): number {
    return this.chunks.calculatedSize;
  }

  /**
   * `length` bytes at `offset` of file version `id` (`size` bytes long; the caller has checked the
   * range lies inside it), in a new buffer of its own.
   */
  async read(id: string, size: number, offset: number, length: number, fetch: RangeFetch): Promise<Uint8Array> {
    const out = new Uint8Array(length);
    if (length === 0) return out;
    const c = this.chunkBytes;
    const first = Math.floor(offset / c);
    const last = Math.floor((offset + length - 1) / c);
    const parts: Promise<Uint8Array>[] = [];
    let runStart = -1;
    const flush = (runEnd: number): void => {
      if (runStart < 0) return;
      this.fetchRun(id, size, runStart, runEnd, fetch).forEach((p, i) => { parts[runStart + i - first] = p; });
      runStart = -1;
    };
    for (let i = first; i <= last; i++) {
      const key = `${id}\n${i}`;
      const held = this.chunks.get(key);
      const pending = held ? undefined : this.inflight.get(key);
      if (held || pending) {
        flush(i - 1);
        if (held) this.stats.chunkHits++;
        else this.stats.chunkJoins++;
        parts[i - first] = held ? Promise.resolve(held) : pending!;
      } else if (runStart < 0) {
        runStart = i;
      }
    }
    flush(last);
    const chunks = await Promise.all(parts);
    for (let i = first; i <= last; i++) {
      const chunk = chunks[i - first]!;
      const chunkStart = i * c;
      const from = Math.max(offset, chunkStart);
      const to = Math.min(offset + length, chunkStart + chunk.length);
      out.set(chunk.subarray(from - chunkStart, to - chunkStart), from - offset);
    }
    return out;
  }

  /** One request for chunks a..b; a promise per chunk, each registered as under way until it settles. */
  private fetchRun(id: string, size: number, a: number, b: number, fetch: RangeFetch): Promise<Uint8Array>[] {
    const c = this.chunkBytes;
    const start = a * c;
    const end = Math.min(size, (b + 1) * c);
    this.stats.requests++;
    this.stats.bytesFetched += end - start;
    const whole = fetch(start, end).then((bytes) => {
      if (bytes.length !== end - start) throw new Error(`range ${start}-${end - 1} answered ${bytes.length} bytes, expected ${end - start}`);
      return bytes;
    });
    const out: Promise<Uint8Array>[] = [];
    for (let i = a; i <= b; i++) {
      const key = `${id}\n${i}`;
      const p = whole.then((bytes) => {
        // A copy per chunk, so evicting one frees its bytes whatever the others do.
        const chunk = bytes.slice((i - a) * c, Math.min((i - a + 1) * c, bytes.length));
        this.chunks.set(key, chunk);
        return chunk;
      });
      const settle = (): void => {
        if (this.inflight.get(key) === p) this.inflight.delete(key);
      };
      p.then(settle, settle);
      this.inflight.set(key, p);
      out.push(p);
    }
    return out;
  }

  /** Drop every chunk (requests under way finish for their readers). */
  clear(): void {
    this.chunks.clear();
  }
}

/**
 * The worker pools (piscina): clips, and map tile renders. A worker file resolves to a tsx-registering
 * entry under tsx and to .js from dist/.
 */
import { Piscina } from 'piscina';
import type { FileStoreSpec } from '../files/file.store.js';

/** Under tsx, worker threads do not inherit the loader: a small .mjs entry registers it first. */
export function workerFile(module: string): string {
  const fromSource = import.meta.url.endsWith('.ts');
  return new URL(fromSource ? `${module}.dev.mjs` : `${module}.js`, import.meta.url).href;
}

/**
 * Young generation of a clip thread, MB (4 MB semi-spaces; V8's default lets them grow to 16 MB). A clip's
 * garbage is mostly decoded tiles: array buffers freed only when the small objects that hold them are
 * collected. Smaller semi-spaces are scavenged sooner, so those buffers go sooner: server peak RSS over 3000 m
 * and 1000 m clips 284-294 MB against 294-317 MB, at the same clip times (`scripts/bench/server.clip.bench.ts`,
 * alternating runs); at 6 MB (2 MB semi-spaces) 275 MB but 3000 m clips 7 % slower. The price: a 100 m clip's
 * thread time 61-62 ms against 54-55 ms (`scripts/bench/api.clip.bench.ts --repeat 15`), still far under 100 ms.
 */
const ClipYoungGenerationMb = 12;

/**
 * The clip threads, each reading sources and storing outputs through its own store opened from `files`,
 * with a V8 heap limit of `heapMb` (a thread past it dies alone, and its task rejects with
 * ERR_WORKER_OUT_OF_MEMORY). `onError` hears of a thread that died with no task (without a listener
 * piscina's 'error' event would end the process). `interactive` (InteractiveLoad.shared) lets the clips
 * keep fewer tiles in flight while map tiles and API calls wait.
 */
export function createClipPool(threads: number, files: FileStoreSpec, heapMb: number, onError: (err: unknown) => void, interactive?: SharedArrayBuffer): Piscina {
  const pool = new Piscina({
    filename: workerFile('../jobs/clip.worker'),
    minThreads: 1,
    maxThreads: threads,
    idleTimeout: 60_000,
    resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: ClipYoungGenerationMb },
    // geotiff pulls in `web-worker`, which destructures workerData in any worker thread: an object.
    workerData: { files, ...(interactive ? { interactive } : {}) },
  });
  pool.on('error', onError);
  return pool;
}

/**
 * True when a pool thread answers a ping within `timeoutMs`. While clips run, every thread may be busy
 * and a ping would queue behind them: a pool doing work is alive.
 */
export async function pingPool(pool: Piscina, busy: () => boolean, timeoutMs = 2000): Promise<boolean> {
  if (busy()) return true;
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    return (await pool.run({ ping: true }, { signal })) === 'pong';
  } catch {
    return false;
  }
}

/** How long a starting server waits for its first clip thread, ms. */
const ThreadStartMs = 10_000;

/**
 * Wait until a clip thread has started (and loaded its modules), at most ThreadStartMs: a server takes
 * requests after this, so neither its first clip nor its first /healthz waits for a thread. A thread that
 * does not answer is reported (`ClipPool:SlowStart`); /healthz says so too.
 */
export async function clipPoolReady(pool: Piscina, log: { warn: (o: object, msg: string) => void }): Promise<void> {
  if (!(await pingPool(pool, () => false, ThreadStartMs))) log.warn({ waitedMs: ThreadStartMs }, 'ClipPool:SlowStart');
}

/** Longest a warm-up may take before the server starts without it, ms. */
const WarmUpMaxMs = 60_000;

/**
 * Warm a clip thread up (clip.warmup.ts) in `dir`, a scratch folder it removes. Never fails nor stalls a
 * start: a warm-up that fails, whose thread dies, or that has not answered in `maxMs` (then aborted) is
 * logged (`ClipPool:WarmUpFailed`) and the server starts cold. The timer also keeps the process alive
 * while it waits (a thread that dies starting may leave nothing else pending).
 */
export async function warmClipPool(pool: Piscina, dir: string, log: { info: (o: object, msg: string) => void; warn: (o: object, msg: string) => void }, maxMs = WarmUpMaxMs): Promise<void> {
  const started = performance.now();
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(new Error(`no answer in ${maxMs} ms`)), maxMs);
  try {
    const done = (await pool.run({ warmUp: dir }, { signal: abort.signal })) as { tiles: Record<string, number>; overviews: number };
    log.info({ ms: Math.round(performance.now() - started), tiles: done.tiles, overviews: done.overviews }, 'ClipPool:WarmedUp');
  } catch (err) {
    log.warn({ err: abort.signal.aborted ? (abort.signal.reason as Error) : err }, 'ClipPool:WarmUpFailed');
  } finally {
    clearTimeout(timer);
  }
}

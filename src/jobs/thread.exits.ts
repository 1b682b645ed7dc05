/**
 * An aborted clip ends its thread (piscina terminates it), but file operations the thread had already handed
 * to libuv's pool (a folder made, a file opened in the staging area) still land, possibly after the runner
 * removed what the attempt staged. A worker thread's 'exit' comes only once its own operations are done.
 */
import type { Worker } from 'node:worker_threads';
import type { Piscina } from 'piscina';

/** Longest the runner waits for ended threads to exit, ms (a start or stop must never hang on it). */
const MaxWaitMs = 10_000;

/**
 * Waits until every thread of `seen` (threads that may have run the attempt's tasks) that the pool no longer
 * holds has exited, at most `maxMs`.
 */
export async function endedThreadsExited(pool: Piscina, seen: Iterable<Worker>, maxMs = MaxWaitMs): Promise<void> {
  const current = new Set(pool.threads);
  // A worker that has exited has threadId -1; one still exiting emits 'exit' later (registered synchronously here).
  const exiting = [...seen].filter((w) => !current.has(w) && w.threadId !== -1);
  if (exiting.length === 0) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.all(exiting.map((w) => new Promise((resolve) => w.once('exit', resolve)))),
    new Promise((resolve) => { timer = setTimeout(resolve, maxMs); }),
  ]);
  clearTimeout(timer);
}

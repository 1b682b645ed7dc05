/**
 * Tools of the fault tests: calls by URL and key, polls bounded by a count (never a clock), a job's
 * credit ledger, and whether a completed job's files are whole (size and sha256 as recorded).
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FileStore } from '../../src/files/file.store.js';
import { openStorage, type Storage } from '../../src/storage/storage.js';

/** The sample area's bounds (WGS84). */
export const DemoBbox: [number, number, number, number] = [172.1799827, -43.6733194, 172.1983802, -43.6600112];

/** POST an operation; answers status and JSON body. */
export async function callOp(url: string, key: string, id: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, any> }> {
  const res = await fetch(`${url}/v1/op/${id}`, { method: 'POST', headers: { 'x-api-key': key, 'content-type': 'application/json', accept: 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

/** Call `probe` every `everyMs` until `done` holds; throws after `maxPolls` polls (a hang guard, not a speed check). */
export async function pollUntil<T>(probe: () => Promise<T>, done: (v: T) => boolean, what: string, maxPolls = 1500, everyMs = 20): Promise<T> {
  for (let i = 1; ; i++) {
    const v = await probe();
    if (done(v)) return v;
    if (i >= maxPolls) throw new Error(`${what}: not reached after ${i} polls (last: ${JSON.stringify(v)})`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** A job's status until it is final. */
export function finalJob(url: string, key: string, jobId: string, maxPolls = 3000): Promise<Record<string, any>> {
  return pollUntil(async () => (await callOp(url, key, 'clip.job.get', { job_id: jobId })).body, (j) => ['completed', 'failed', 'canceled'].includes(j.status as string), `job ${jobId} final`, maxPolls, 50);
}

/**
 * The kinds of a job's credit ledger rows, in order (`hold,capture` or `hold,release` when settled once): from a
 * running test server's storage, or from the SQLite file of a child server's data directory.
 */
export async function ledgerOf(from: Storage | string, orgId: string, jobId: string): Promise<string> {
  const storage = typeof from === 'string' ? await openStorage({ dataDir: from }) : from;
  try {
    return (await storage.ledger.credits(orgId)).filter((r) => r.job_id === jobId).map((r) => r.kind).join(',');
  } finally {
    if (typeof from === 'string') await storage.close();
  }
}

/** Files among a job tree's that are neither an output COG nor the STAC thumbnail beside one (temp, spool or orphan files). */
export function leftovers(files: readonly string[]): string[] {
  const cogs = new Set(files.filter((f) => f.endsWith('.tif')));
  return files.filter((f) => !cogs.has(f) && !(f.endsWith('.thumb.png') && cogs.has(f.replace(/\.thumb\.png$/, '.tif'))));
}

/** Every file under `dataDir/jobs`, relative (`<job>/attempt-<n>/<file>`); directories left empty are not files. */
export async function jobFiles(dataDir: string): Promise<string[]> {
  const dir = path.join(dataDir, 'jobs');
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}

/**
 * Outputs of a job whose stored bytes differ from the recorded size or sha256 (empty when all are whole): the
 * records from a running test server's storage and its file store, or from a child server's data directory.
 */
export async function brokenOutputs(from: { storage: Storage; files: FileStore } | string, jobId: string): Promise<string[]> {
  const storage = typeof from === 'string' ? await openStorage({ dataDir: from }) : from.storage;
  const read = (key: string): Promise<Uint8Array | undefined> => (typeof from === 'string' ? readFile(path.join(from, key)) : from.files.read(key));
  try {
    const bad: string[] = [];
    for (const o of await storage.jobs.outputs(jobId)) {
      const bytes = (await read(o.rel_path).catch(() => undefined)) ?? new Uint8Array(0);
      if (bytes.length !== o.size_bytes || createHash('sha256').update(bytes).digest('hex') !== o.sha256) bad.push(o.rel_path);
    }
    return bad;
  } finally {
    if (typeof from === 'string') await storage.close();
  }
}

/** A polygon over `fraction` of a bbox around its centre (slightly irregular, so tiles cross its edge). */
export function aoiOf(bbox: [number, number, number, number], fraction: number, shift = 0): Record<string, unknown> {
  const [w, s, e, n] = bbox;
  const cx = (w + e) / 2 + (e - w) * shift;
  const cy = (s + n) / 2;
  const dx = ((e - w) * fraction) / 2;
  const dy = ((n - s) * fraction) / 2;
  return { type: 'Polygon', coordinates: [[[cx - dx, cy - dy], [cx + dx, cy - dy], [cx + dx * 0.6, cy + dy], [cx - dx, cy + dy * 0.8], [cx - dx, cy - dy]]] };
}

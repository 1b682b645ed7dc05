/**
 * After the load: wait for the queue to drain, then check that every create's job completed exactly
 * once — one job per Idempotency-Key (the replay named the same job), every job `completed`, and (when
 * this script owns the data directory) one hold and one capture per job and every file whole (sha256).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { openStorage } from '../../src/storage/storage.js';
import type { Workload } from './load.kinds.js';

export type Call = (op: string, body: unknown) => Promise<Record<string, any>>;

/** Poll until no job is queued or running; false when `maxPolls` polls (1 s apart) were not enough. */
export async function drain(call: Call, org: string, maxPolls = 900): Promise<boolean> {
  for (let i = 0; i < maxPolls; i++) {
    const [q, r] = await Promise.all(['queued', 'running'].map((status) => call('clip.jobs.list', { organization_id: org, status, limit: 1 })));
    if (q!.total === 0 && r!.total === 0) return true;
    await new Promise((res) => setTimeout(res, 1000));
  }
  return false;
}

export interface Verdict {
  keys: number;
  jobs: number;
  replays: number;
  /** Keys whose answers named more than one job */
  duplicateKeys: number;
  /** Job status → count, over the jobs the creates named */
  statuses: Record<string, number>;
  /** Jobs the org has beyond the creates' (must be the set-up jobs only) */
  listedJobs: number;
  /** Jobs whose credit ledger is not exactly hold + capture (undefined: not checked) */
  badLedger: number | undefined;
  /** Output files whose size or sha256 differs from the record (undefined: not checked) */
  badFiles: number | undefined;
  filesChecked: number;
}

export async function verify(call: Call, w: Workload, dataDir: string | undefined): Promise<Verdict> {
  const statuses: Record<string, number> = {};
  for (const id of w.jobs) {
    const j = await call('clip.job.get', { job_id: id });
    statuses[String(j.status)] = (statuses[String(j.status)] ?? 0) + 1;
  }
  const listed = await call('clip.jobs.list', { organization_id: w.org, limit: 1 });
  const v: Verdict = {
    keys: w.byKey.size, jobs: w.jobs.length, replays: w.replays, duplicateKeys: [...w.byKey.values()].filter((s) => s.size !== 1).length,
    statuses, listedJobs: Number(listed.total), badLedger: undefined, badFiles: undefined, filesChecked: 0,
  };
  if (!dataDir) return v;
  const storage = await openStorage({ dataDir });
  try {
    let badLedger = 0;
    let badFiles = 0;
    for (const id of w.jobs) {
      const kinds = (await storage.ledger.credits(w.org)).filter((r) => r.job_id === id).map((r) => r.kind).join(',');
      if (kinds !== 'hold,capture') badLedger++;
      for (const o of await storage.jobs.outputs(id)) {
        const bytes = await readFile(path.join(dataDir, o.rel_path)).catch(() => Buffer.alloc(0));
        if (bytes.length !== o.size_bytes || createHash('sha256').update(bytes).digest('hex') !== o.sha256) badFiles++;
        v.filesChecked++;
      }
    }
    v.badLedger = badLedger;
    v.badFiles = badFiles;
  } finally {
    await storage.close();
  }
  return v;
}

/**
 * The invariants that hold after every operation sequence (and after each command), read through
 * test/support/ledger.view.ts: balance = limit + grants − captured costs − live holds; every hold has
 * its job, one hold a job, settled at most once and as its status says; the egress ledger equals the
 * body bytes that left the server's sockets; completed jobs' files are whole (size, sha256); deleted
 * jobs' files are gone; one job per Idempotency-Key, and no job the clients were not answered with.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { idempotentAnswer, readOrg } from '../support/ledger.view.js';
import { jobsOf, type Model } from './props.model.js';
import { Orgs, type World } from './props.world.js';

const near = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

/** Check the ledgers and jobs against each other and the model; `files` also hashes every output. */
export async function checkInvariants(m: Model, w: World, files: boolean): Promise<void> {
  const storage = w.t.runtime.services.storage;
  for (const org of Orgs) {
    const v = await readOrg(storage, org);
    const holds = v.credits.filter((c) => c.kind === 'hold');
    let captured = 0;
    let live = 0;
    for (const h of holds) assert.ok(h.job_id && v.jobs.has(h.job_id), `${org}: a hold of ${h.amount_km2} km² names no job (${h.job_id})`);
    for (const [id, job] of v.jobs) {
      const rows = v.credits.filter((c) => c.job_id === id);
      const jobHolds = rows.filter((c) => c.kind === 'hold');
      const settled = rows.filter((c) => c.kind === 'capture' || c.kind === 'release');
      assert.equal(jobHolds.length, 1, `${org}: job ${id} has ${jobHolds.length} holds`);
      assert.ok(near(jobHolds[0]!.amount_km2, job.cost_km2), `${org}: job ${id} holds ${jobHolds[0]!.amount_km2} km² but costs ${job.cost_km2}`);
      assert.ok(settled.length <= 1, `${org}: job ${id} settled ${settled.length} times`);
      if (job.status === 'completed') {
        assert.deepEqual(settled.map((c) => c.kind), ['capture'], `${org}: completed job ${id} is captured once`);
        captured += job.cost_km2;
      } else if (job.status === 'queued' || job.status === 'running') {
        assert.deepEqual(settled, [], `${org}: ${job.status} job ${id} is not settled`);
        live += job.cost_km2;
      } else if (job.cost_km2 > 0) {
        assert.deepEqual(settled.map((c) => c.kind), ['release'], `${org}: ${job.status} job ${id} is released once`);
      }
    }
    const grants = v.credits.filter((c) => c.kind === 'grant').reduce((s, c) => s + c.amount_km2, 0);
    const expected = (v.limitKm2 ?? 0) + grants - captured - live;
    assert.ok(near(v.balance.available_km2 ?? NaN, expected), `${org}: balance ${v.balance.available_km2} km², expected limit ${v.limitKm2} + grants ${grants} − captured ${captured} − live holds ${live} = ${expected}`);

    const mine = jobsOf(m, org);
    assert.deepEqual([...v.jobs.keys()].sort(), [...mine].sort(), `${org}: the jobs with holds are exactly the jobs clients were answered with`);
    assert.equal(v.liveJobs, mine.filter((id) => !m.jobs.get(id)!.deleted).length, `${org}: live job count`);
    for (const [k, { jobId }] of m.keys) {
      if (!k.startsWith(`${org} `)) continue;
      const stored = await idempotentAnswer(storage, org, k.slice(org.length + 1));
      assert.equal(stored && (JSON.parse(stored) as { job: { id: string } }).job.id, jobId, `${org}: Idempotency-Key ${k} stores its one job`);
    }

    const egress = v.egress.reduce((s, e) => s + e.bytes, 0);
    assert.equal(egress, m.sent[org], `${org}: egress ledger ${egress} B, but ${m.sent[org]} B of bodies left the server's sockets`);

    if (!files) continue;
    for (const [id, job] of v.jobs) {
      const dir = path.join(w.dataDir, 'jobs', id);
      if (job.deleted_at) {
        assert.ok(!existsSync(dir), `${org}: deleted job ${id} still has files`);
        continue;
      }
      if (job.status !== 'completed') continue;
      const outs = v.outputs.get(id) ?? [];
      assert.ok(outs.length > 0, `${org}: completed job ${id} has no outputs`);
      for (const o of outs) {
        const bytes = await readFile(path.join(w.dataDir, o.rel_path));
        assert.equal(bytes.length, o.size_bytes, `${id}/${o.output_key}: size`);
        assert.equal(createHash('sha256').update(bytes).digest('hex'), o.sha256, `${id}/${o.output_key}: sha256`);
      }
    }
  }
}

/**
 * A job's STAC facts (band statistics, thumbnail, the AOI within the data) are made after it completed, in the
 * clip threads: the user waits only for the file. A reader who comes first waits for the same run; one who
 * finds none stored and none running (the node stopped before its summary) gets them made then; a job deleted
 * meanwhile keeps nothing. Real pool, real storage, real files; the run is held at a gate to order events.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OutputSummaries, type SummaryRunner } from '../../src/jobs/output.summaries.js';
import { createLogger } from '../../src/log.js';
import { startTestServer, type TestServer } from '../support/harness.js';
import { completedJob } from '../security/security.world.js';

describe('STAC facts after a job completed', { timeout: 180_000 }, () => {
  let t: TestServer;
  before(async () => { t = await startTestServer(); });
  after(() => t.close());

  const storage = (): TestServer['runtime']['services']['storage'] => t.runtime.services.storage;

  /** A completed job whose output's facts are gone again and its thumbnail spoilt, as if its node stopped mid-summary. */
  async function jobWithoutFacts(): Promise<{ id: string; thumbKey: string }> {
    const id = await completedJob(t, t.key, 'acme');
    // Reading the Item waits for the runner's own summary, so nothing is still writing.
    assert.equal((await t.op('clip.job.get', { job_id: id })).status, 200);
    const item = await (await fetch(`${t.url}/v1/stac/jobs/${id}`, { headers: { authorization: `Bearer ${t.key}` } })).json() as any;
    assert.ok(item.assets.visual['raster:bands'][0].statistics, 'the Item has statistics once the job completed');
    const [out] = await storage().jobs.outputs(id);
    const info = JSON.parse(out!.info!);
    const thumbKey = info.stac.thumbnail.key as string;
    delete info.stac;
    assert.equal(await storage().jobs.setOutputInfo(id, 'visual', JSON.stringify(info)), true);
    await t.files.store.put(thumbKey, 'half a PNG');
    return { id, thumbKey };
  }

  /** The clip pool's summary runs, counted, each answering only once `open()` is called (its thumbnail is stored by then). */
  function gatedRuns(): { run: SummaryRunner; runs: () => number; open: () => void; ran: Promise<void> } {
    let runs = 0;
    let open!: () => void;
    let ranNow!: () => void;
    const gate = new Promise<void>((r) => { open = r; });
    const ran = new Promise<void>((r) => { ranNow = r; });
    const run: SummaryRunner = async (task) => {
      runs++;
      const answer = await (t.runtime.pool.run(task) as ReturnType<SummaryRunner>);
      ranNow();
      await gate;
      return answer;
    };
    return { run, runs: () => runs, open, ran };
  }

  it('makes missing facts when the Item is read, stores them and the thumbnail', async () => {
    const { id, thumbKey } = await jobWithoutFacts();
    const res = await fetch(`${t.url}/v1/stac/jobs/${id}`, { headers: { authorization: `Bearer ${t.key}` } });
    assert.equal(res.status, 200);
    const item = await res.json() as any;
    const stats = item.assets.visual['raster:bands'].map((b: any) => b.statistics);
    assert.equal(stats.length, 3);
    for (const s of stats) assert.ok(s.maximum >= s.mean && s.mean >= s.minimum && s.valid_percent > 0, JSON.stringify(s));
    const png = await fetch(item.assets.visual_thumbnail.href);
    assert.equal(png.status, 200);
    assert.deepEqual([...new Uint8Array(await png.arrayBuffer()).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    assert.deepEqual([...(await t.files.store.read(thumbKey))!.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47], 'the thumbnail is stored again');
    assert.ok(JSON.parse((await storage().jobs.outputs(id))[0]!.info!).stac.statistics, 'the facts are stored in the output');
  });

  it('lets readers who come while a summary runs share that run', async () => {
    const { id } = await jobWithoutFacts();
    const gate = gatedRuns();
    const summaries = new OutputSummaries(storage(), t.files.store, gate.run, createLogger('silent'));
    const [out] = await storage().jobs.outputs(id);
    const job = (await storage().jobs.getForOrg('acme', id))!;
    const readers = [summaries.ensure(job, out!), summaries.ensure(job, out!), summaries.ensure(job, out!)];
    gate.open();
    const facts = await Promise.all(readers);
    assert.equal(gate.runs(), 1, 'one run for three readers');
    assert.ok(facts[0]?.statistics.length === 3 && facts.every((f) => f === facts[0]));
    const stored = (await storage().jobs.outputs(id))[0]!;
    assert.deepEqual(JSON.parse(stored.info!).stac, facts[0]);
    assert.deepEqual(await summaries.ensure(job, stored), facts[0]);
    assert.equal(gate.runs(), 1, 'stored facts are read, not made again');
  });

  it('keeps neither facts nor thumbnail of a job deleted while its summary ran (its thumbnail written after the delete)', async () => {
    const { id, thumbKey } = await jobWithoutFacts();
    const gate = gatedRuns();
    const summaries = new OutputSummaries(storage(), t.files.store, gate.run, createLogger('silent'));
    const [out] = await storage().jobs.outputs(id);
    const job = (await storage().jobs.getForOrg('acme', id))!;
    const pending = summaries.ensure(job, out!);
    await gate.ran;
    assert.deepEqual([...(await t.files.store.read(thumbKey))!.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47], 'the summary stored its thumbnail');
    assert.equal((await t.op('clip.job.delete', { job_id: id })).status, 200);
    await t.files.store.put(thumbKey, 'written after the delete'); // what a slower summary's upload does
    gate.open();
    assert.equal(await pending, null);
    assert.equal(await t.files.store.stat(thumbKey), undefined, 'no thumbnail left behind');
    assert.deepEqual(await t.files.store.list(`jobs/${id}/`, Infinity), [], 'no file of the job left');
  });
});

/**
 * The STAC facts of a job's outputs (band statistics, a thumbnail, the AOI within the data), made after the
 * job completed so that nobody waits for them to get a file: the runner starts them as a job completes, and
 * a reader that needs them first (the job's Item, its thumbnail) waits for the same run, or starts one when
 * none is running here (another node ran the clip, or this one stopped before its summary). One run per output
 * at a time in this process; the facts are stored in the output's `info`, the thumbnail beside the output.
 */
import type { FileStore } from '../files/file.store.js';
import type { Logger } from '../log.js';
import type { JobRow, OutputRow } from '../storage/job.store.js';
import type { Storage } from '../storage/storage.js';
import type { OutputStacFacts, SummaryTask } from './clip.task.js';

/** Runs a summary task in the clip pool. */
export type SummaryRunner = (task: SummaryTask) => Promise<OutputStacFacts | { error: { code: string; message: string } }>;

/** An output's `info` as stored: the engine's facts, and the STAC ones once made. */
type StoredInfo = Record<string, unknown> & { stac?: OutputStacFacts };

export class OutputSummaries {
  private readonly running = new Map<string, Promise<OutputStacFacts | null>>();

  constructor(private readonly storage: Storage, private readonly files: FileStore, private readonly run: SummaryRunner, private readonly log: Logger) {}

  /** The output's STAC facts: stored ones, else made now (null when they cannot be: the reader goes without). */
  ensure(job: Pick<JobRow, 'id' | 'aoi'>, out: Pick<OutputRow, 'output_key' | 'rel_path' | 'info'>): Promise<OutputStacFacts | null> {
    const info = JSON.parse(out.info ?? '{}') as StoredInfo;
    if (info.stac) return Promise.resolve(info.stac);
    const key = `${job.id}/${out.output_key}`;
    let p = this.running.get(key);
    if (!p) {
      p = this.make(job, out, info).finally(() => this.running.delete(key));
      this.running.set(key, p);
    }
    return p;
  }

  /** Resolves once the summaries running now have ended (a server stopping). */
  async drain(): Promise<void> {
    await Promise.all([...this.running.values()]);
  }

  private async make(job: Pick<JobRow, 'id' | 'aoi'>, out: Pick<OutputRow, 'output_key' | 'rel_path'>, info: StoredInfo): Promise<OutputStacFacts | null> {
    const log = this.log.child({ jobId: job.id, output: out.output_key });
    try {
      const answer = await this.run({ summarise: { output: out.rel_path, aoi: JSON.parse(job.aoi) as unknown } });
      if ('error' in answer) {
        log.warn({ code: answer.error.code, reason: answer.error.message }, 'Job:SummaryFailed');
        return null;
      }
      if (!(await this.storage.jobs.setOutputInfo(job.id, out.output_key, JSON.stringify({ ...info, stac: answer })))) {
        // Deleted or expired while the summary ran: its thumbnail goes the way of the job's other files.
        await this.files.deletePrefix(`jobs/${job.id}/`);
        return null;
      }
      return answer;
    } catch (err) {
      log.warn({ err }, 'Job:SummaryFailed');
      return null;
    }
  }
}

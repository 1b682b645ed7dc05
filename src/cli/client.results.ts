/**
 * How the generated commands deliver their results: lists streamed (NDJSON or a table) or as one
 * document, a created job waited for with a progress line, a file downloaded with a progress line.
 */
import { once } from 'node:events';
import type { GeoperaClient, Job, OperationId } from '../client/index.js';
import type { OptionValues } from './client.flags.js';
import type { CliIo } from './client.io.js';
import { formatBytes, jsonText, ProgressLine, StreamingTable } from './client.output.js';

/** A job that a `--wait` saw end otherwise than `completed` (exit 2). */
export class JobFailed extends Error {}

/** Print a list operation's records: NDJSON lines or a table as they stream, or one JSON document. */
export async function runList(client: GeoperaClient, id: OperationId, body: Record<string, unknown>, format: string, io: CliIo): Promise<number> {
  if (format === 'json') {
    io.stdout.write(jsonText(await client.invoke(id, body as never)));
    return 0;
  }
  const table = format === 'table' ? new StreamingTable((text) => io.stdout.write(text)) : undefined;
  for await (const record of client.stream(id as 'clip.areas.list', body as never)) {
    if (table) table.add(record);
    else io.stdout.write(`${JSON.stringify(record)}\n`);
  }
  table?.end();
  return 0;
}

/** Wait for a created job with a progress line on stderr; print the create answer with the final job. */
export async function waitAndPrint(client: GeoperaClient, created: { job: Job }, io: CliIo): Promise<number> {
  const bar = new ProgressLine(io.stderr);
  const job = await client.waitForJob(created.job.id, {
    onMode: (mode, why) => io.stderr.write(mode === 'events' ? `geopera: following ${created.job.id} on the event stream\n` : `geopera: polling ${created.job.id} (${why ?? 'no event stream'})\n`),
    onProgress: (j) => {
      const state = `${j.status}${j.stage && j.stage !== j.status ? ` (${j.stage})` : ''}`;
      bar.update(j.status === 'completed' ? 1 : j.progress, `${j.id} ${state}`, state);
    },
  });
  bar.done();
  io.stdout.write(jsonText({ ...created, job }));
  if (job.status !== 'completed') {
    const why = job.error ? `: [${job.error.code}] ${job.error.message}` : '';
    throw new JobFailed(`job ${job.id} ${job.status}${why}`);
  }
  return 0;
}

/** Download to `--output` (or stdout for `-`) with a progress line; print what was written. */
export async function runDownload(client: GeoperaClient, id: OperationId, body: Record<string, unknown>, values: OptionValues, io: CliIo): Promise<number> {
  const output = values.output as string;
  if (output === '-') {
    const res = await client.openFile(id as 'clip.job.download', body as never);
    const out = io.stdout as NodeJS.WritableStream;
    for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
      if (!out.write(chunk)) await once(out, 'drain');
    }
    return 0;
  }
  const bar = new ProgressLine(io.stderr);
  const started = Date.now();
  const result = await client.download(id as 'clip.job.download', body as never, {
    to: output,
    resume: values.resume !== false,
    onProgress: (p) => {
      const rate = (p.received - p.resumedFrom) / Math.max(0.001, (Date.now() - started) / 1000);
      const from = p.resumedFrom > 0 ? `, resumed at ${formatBytes(p.resumedFrom)}` : '';
      bar.update(p.total ? p.received / p.total : 0, `${formatBytes(p.received)}${p.total ? ` / ${formatBytes(p.total)}` : ''} ${formatBytes(rate)}/s${from}`, from);
    },
  });
  bar.done();
  io.stdout.write(jsonText(result));
  return 0;
}

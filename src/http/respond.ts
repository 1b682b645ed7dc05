/** Write an operation's result: one JSON document, an NDJSON stream, or a file (Range-capable). */
import { PassThrough, Readable } from 'node:stream';
import type { Context } from 'koa';
import { AppError } from '../errors/app.error.js';
import type { FileAnswer, OpResult } from '../operations/op.types.js';
import { accepts } from './request.facts.js';
import { rangeFor } from './range.parse.js';

export const NdjsonType = 'application/x-ndjson';

export function sendJson(ctx: Context, status: number, body: unknown): void {
  ctx.status = status;
  ctx.type = 'application/json';
  ctx.body = typeof body === 'string' ? body : JSON.stringify(body);
}

async function collect(items: Iterable<unknown> | AsyncIterable<unknown>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Stream records one per line; an error mid-stream ends the stream with an `{"error": …}` line. */
function ndjson(items: Iterable<unknown> | AsyncIterable<unknown>, requestId: string): Readable {
  return Readable.from((async function* () {
    try {
      for await (const item of items) yield `${JSON.stringify(item)}\n`;
    } catch (err) {
      const code = err instanceof AppError ? err.code : 'internal_error';
      yield `${JSON.stringify({ error: { code, request_id: requestId } })}\n`;
    }
  })());
}

/** Send a result. Returns the JSON text sent for object results (for idempotent replay). */
export async function sendResult(ctx: Context, result: OpResult, requestId: string): Promise<string | undefined> {
  if (result.kind === 'object') {
    const text = JSON.stringify(result.body);
    sendJson(ctx, 200, text);
    return text;
  }
  if (result.kind === 'list') {
    if (accepts(ctx, NdjsonType)) {
      ctx.status = 200;
      ctx.type = NdjsonType;
      ctx.body = ndjson(result.items, requestId);
      return undefined;
    }
    const items = await collect(result.items);
    const text = JSON.stringify(result.envelope ? result.envelope(items) : { items });
    sendJson(ctx, 200, text);
    return text;
  }
  await sendFile(ctx, result.file);
  return undefined;
}

/**
 * Stream a file with Range / If-Range support. The file is opened before anything is answered: one that is gone
 * or not the size recorded (removed or damaged on the server) is an error answer (`output_not_found`), not a
 * cut-off 200. Then the bytes about to be sent are reserved (429 before any header when the egress quota is used
 * up), and replaced by the bytes actually sent at the end; a read error later (a dropped connection to S3) ends
 * the answer early, never the process.
 */
export async function sendFile(ctx: Context, file: FileAnswer): Promise<void> {
  const etag = `"${file.sha256}"`;
  const range = rangeFor(ctx.get('range'), ctx.get('if-range'), etag, file.size);
  const start = range ? range.start : 0;
  const end = range ? range.end : file.size - 1;
  const length = file.size === 0 ? 0 : end - start + 1;
  const rangeText = range ? `${start}-${end}` : null;
  // Opened before any header is set: a file gone from the store is an error answer, not a cut-off 200.
  const source = length > 0 ? await file.open({ start, end }) : null;
  try {
    await file.reserve(length, rangeText);
  } catch (err) {
    source?.destroy();
    throw err;
  }
  const record = (sent: number): void => {
    file.onSent(sent, rangeText).catch((err: unknown) => (ctx.state.log as { error(o: unknown, m: string): void } | undefined)?.error({ err }, 'Egress:RecordFailed'));
  };
  ctx.set('Accept-Ranges', 'bytes');
  ctx.set('ETag', etag);
  ctx.set('Content-Disposition', `attachment; filename="${file.fileName.replace(/"/g, '')}"`);
  ctx.set('Cache-Control', 'private, max-age=0, must-revalidate');
  ctx.type = file.mediaType;
  if (range) {
    ctx.status = 206;
    ctx.set('Content-Range', `bytes ${start}-${end}/${file.size}`);
  } else {
    ctx.status = 200;
  }
  ctx.length = length;
  if (!source) {
    ctx.body = '';
    record(0);
    return;
  }
  const counter = new PassThrough();
  let sent = 0;
  let recorded = false;
  counter.on('data', (chunk: Buffer) => { sent += chunk.length; });
  // A store that fails mid-file (a dropped connection to S3) ends the response early rather than leaving it hanging.
  source.on('error', (err) => counter.destroy(err));
  source.pipe(counter);
  ctx.res.on('close', () => {
    // On an abort this counts what was handed to the socket before it closed (at most one chunk more than delivered).
    source.destroy();
    if (!recorded) record(sent);
    recorded = true;
  });
  ctx.body = counter;
}

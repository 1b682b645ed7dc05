/** Write an operation's result: one JSON document, an NDJSON stream, or a file (Range-capable). */
import { createReadStream } from 'node:fs';
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
  sendFile(ctx, result.file);
  return undefined;
}

/** Stream a file with Range / If-Range support, counting the bytes actually sent. */
export function sendFile(ctx: Context, file: FileAnswer): void {
  const etag = `"${file.sha256}"`;
  const range = rangeFor(ctx.get('range'), ctx.get('if-range'), etag, file.size);
  ctx.set('Accept-Ranges', 'bytes');
  ctx.set('ETag', etag);
  ctx.set('Content-Disposition', `attachment; filename="${file.fileName.replace(/"/g, '')}"`);
  ctx.set('Cache-Control', 'private, max-age=0, must-revalidate');
  ctx.type = file.mediaType;
  let start = 0;
  let end = file.size - 1;
  if (range) {
    ({ start, end } = range);
    ctx.status = 206;
    ctx.set('Content-Range', `bytes ${start}-${end}/${file.size}`);
  } else {
    ctx.status = 200;
  }
  const length = file.size === 0 ? 0 : end - start + 1;
  ctx.length = length;
  if (length === 0) {
    ctx.body = '';
    file.onSent(0, range ? `${start}-${end}` : null);
    return;
  }
  const source = createReadStream(file.path, { start, end });
  const counter = new PassThrough();
  let sent = 0;
  let recorded = false;
  const record = (): void => {
    if (recorded) return;
    recorded = true;
    file.onSent(sent, range ? `${start}-${end}` : null);
  };
  counter.on('data', (chunk: Buffer) => { sent += chunk.length; });
  source.pipe(counter);
  ctx.res.on('close', () => {
    // On an abort this counts what was handed to the socket before it closed (at most one chunk more than delivered).
    source.destroy();
    record();
  });
  ctx.body = counter;
}

/** Read a request body with a size limit: JSON for operations, form-encoded for the token endpoint. */
import type { IncomingMessage } from 'node:http';
import { AppError } from '../errors/app.error.js';

/** The raw body bytes; 413 past `limit`. */
export async function readRawBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw new AppError('payload_too_large', `Request body of ${declared} bytes is over the ${limit}-byte limit`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new AppError('payload_too_large', `Request body is over the ${limit}-byte limit`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** An operation body: empty counts as `{}`; malformed JSON is 400 `invalid_json`. */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const raw = await readRawBody(req, limit);
  const text = raw.toString('utf8').trim();
  if (text === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new AppError('invalid_json', `The body is not valid JSON: ${(err as Error).message}`);
  }
}

/** A form-encoded (or JSON) body as a string map. */
export async function readFormBody(req: IncomingMessage, limit: number): Promise<Record<string, string>> {
  const raw = (await readRawBody(req, limit)).toString('utf8');
  if ((req.headers['content-type'] ?? '').includes('application/json')) {
    const parsed = raw.trim() ? (JSON.parse(raw) as Record<string, unknown>) : {};
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
  }
  return Object.fromEntries(new URLSearchParams(raw));
}

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

/**
 * Deepest nesting of arrays and objects a JSON body may have. A GeoJSON FeatureCollection of
 * MultiPolygons in a body is 9 deep; every later step (zod, the idempotency fingerprint, storing the
 * AOI as text) recurses, and a 1 MiB body could nest 500 000 deep.
 */
export const MaxJsonDepth = 64;

/** The nesting depth of JSON text, counting brackets outside strings (stops counting past `max`). */
export function jsonDepth(text: string, max = Infinity): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > deepest && (deepest = depth) > max) return deepest;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

/** JSON text (depth-checked) as a value; 400 `invalid_json` when it is not JSON or nests deeper than `MaxJsonDepth`. */
function parseJsonText(text: string): unknown {
  if (jsonDepth(text, MaxJsonDepth) > MaxJsonDepth) throw new AppError('invalid_json', `The body nests arrays and objects deeper than ${MaxJsonDepth} levels`);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new AppError('invalid_json', `The body is not valid JSON: ${(err as Error).message}`);
  }
}

/** An operation body: empty counts as `{}`; malformed JSON, or nested deeper than `MaxJsonDepth`, is 400 `invalid_json`. */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const text = (await readRawBody(req, limit)).toString('utf8').trim();
  return text === '' ? {} : parseJsonText(text);
}

/** A form-encoded (or JSON object) body as a string map; a JSON body that is not an object is 400 `invalid_json`. */
export async function readFormBody(req: IncomingMessage, limit: number): Promise<Record<string, string>> {
  const raw = (await readRawBody(req, limit)).toString('utf8');
  if ((req.headers['content-type'] ?? '').includes('application/json')) {
    const parsed = raw.trim() ? parseJsonText(raw.trim()) : {};
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new AppError('invalid_json', 'The body must be a JSON object');
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
  }
  return Object.fromEntries(new URLSearchParams(raw));
}

/**
 * Read a request body with a size limit: JSON for operations, form-encoded for the token endpoint.
 *
 * A body over the limit is still read to its end (and thrown away) up to `DiscardCapBytes` before the
 * 413 is sent: clients that write the whole body before reading the answer (Python's urllib, httpx,
 * requests) would otherwise see a broken pipe instead of the 413. Past that cap the answer carries
 * `Connection: close` and the socket is closed after it.
 */
import type { IncomingMessage } from 'node:http';
import { AppError } from '../errors/app.error.js';

/** Bytes of an unwanted request body read and discarded so the client can read the error answer (64 MiB). */
export const DiscardCapBytes = 64 * 1024 * 1024;

function declaredLength(req: IncomingMessage): number | undefined {
  const n = Number(req.headers['content-length']);
  return req.headers['content-length'] !== undefined && Number.isFinite(n) ? n : undefined;
}

/**
 * Read what is left of a request body and throw it away, up to `cap` bytes. Resolves true when the
 * body was read to its end (the connection can stay open), false when it is longer than `cap`.
 */
export async function discardBody(req: IncomingMessage, cap = DiscardCapBytes): Promise<boolean> {
  if (req.complete || req.readableEnded) return true;
  const declared = declaredLength(req);
  if (declared !== undefined && declared > cap) return false;
  return new Promise<boolean>((resolve) => {
    let size = 0;
    const done = (ok: boolean): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onEnd);
      req.off('close', onEnd);
      if (!ok) req.pause();
      resolve(ok);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > cap) done(false);
    };
    const onEnd = (): void => done(req.complete);
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onEnd);
    req.once('close', onEnd);
    req.resume();
  });
}

function tooLarge(message: string, drained: boolean): AppError {
  return new AppError('payload_too_large', message, drained ? {} : { headers: { Connection: 'close' } });
}

/** The raw body bytes; 413 past `limit` (after discarding the rest of the body, see above). */
export async function readRawBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = declaredLength(req);
  if (declared !== undefined && declared > limit) {
    throw tooLarge(`Request body of ${declared} bytes is over the ${limit}-byte limit`, await discardBody(req));
  }
  const chunks: Buffer[] = [];
  let size = 0;
  const over = await new Promise<boolean>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      cleanup();
      resolve(true);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(false);
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onError);
  });
  if (over) {
    chunks.length = 0;
    throw tooLarge(`Request body is over the ${limit}-byte limit`, await discardBody(req));
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

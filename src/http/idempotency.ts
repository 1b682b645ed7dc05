/**
 * Idempotency-Key for spend operations (IETF httpapi idempotency-key draft, Stripe's behaviour):
 * scoped to the org; fingerprint = operation + canonical JSON body; the first response is stored and
 * replayed for 24 h; another body → 409 `idempotency_key_reused`; still running → 409
 * `idempotency_key_in_flight` with Retry-After. A request that fails stores nothing.
 */
import { createHash } from 'node:crypto';
import { AppError } from '../errors/app.error.js';
import type { IdempotencyReservation } from '../storage/idempotency.store.js';
import type { Storage } from '../storage/storage.js';

export const IdempotencyTtlMs = 24 * 3600 * 1000;
/** A reservation older than this is treated as abandoned (its server died before answering). */
export const InFlightStaleMs = 120_000;
export const MaxKeyLength = 255;

/** JSON with object keys sorted, so equal bodies have equal fingerprints. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function fingerprint(operation: string, body: unknown): string {
  return createHash('sha256').update(operation).update('\n').update(canonicalJson(body)).digest('hex');
}

export type IdempotencyOutcome =
  | { kind: 'replay'; status: number; contentType: string; body: Buffer }
  | { kind: 'proceed'; reservation: IdempotencyReservation };

/** 409 `idempotency_key_in_flight` with Retry-After. */
export function inFlight(): AppError {
  return new AppError('idempotency_key_in_flight', 'A request with this Idempotency-Key is still being handled; retry shortly', { headers: { 'Retry-After': '1' } });
}

/**
 * Check a key before running a spend operation: replay a stored answer, refuse another body or a request
 * still in flight, or reserve the key (taking over one abandoned by a crashed server).
 */
export async function beginIdempotent(storage: Storage, orgId: string, key: string, operation: string, body: unknown, now?: number): Promise<IdempotencyOutcome> {
  if (key.length === 0 || key.length > MaxKeyLength) {
    throw new AppError('idempotency_key_invalid', `Idempotency-Key must be 1 to ${MaxKeyLength} characters (got ${key.length})`);
  }
  const fp = fingerprint(operation, body);
  for (let attempt = 0; attempt < 2; attempt++) {
    const existing = await storage.idempotency.get(orgId, key, now);
    if (existing) {
      if (existing.fingerprint !== fp) {
        throw new AppError('idempotency_key_reused', 'This Idempotency-Key was already used with a different request body or operation');
      }
      if (existing.state === 'done') return { kind: 'replay', status: existing.status ?? 200, contentType: existing.content_type ?? 'application/json', body: existing.body ?? Buffer.alloc(0) };
      if ((now ?? Date.now()) - existing.created_at < InFlightStaleMs) throw inFlight();
    }
    const reservation = await storage.idempotency.reserve({ org_id: orgId, key, operation, fingerprint: fp }, IdempotencyTtlMs, InFlightStaleMs, now);
    if (reservation) return { kind: 'proceed', reservation };
  }
  throw inFlight();
}

/** What an operation declares and what its handler gets and returns. */
import type { Readable } from 'node:stream';
import type { z } from 'zod';
import type { Principal } from '../auth/principal.js';
import type { Scope } from '../auth/scopes.js';
import type { Logger } from '../log.js';
import type { Services } from '../services.js';
import type { IdempotencyReservation } from '../storage/idempotency.store.js';

/** An Idempotency-Key reservation handed to a spend operation's service. */
export interface IdempotentAnswer {
  reservation: IdempotencyReservation;
  /** Set by the service once it stored its answer with its own writes (else the route stores what it sends) */
  stored: boolean;
}

/** read: no side effect; spend: costs credits (accepts Idempotency-Key); destructive: removes data. */
export type SideEffect = 'read' | 'spend' | 'destructive';

/** object: one JSON document; list: records (JSON envelope or NDJSON); file: bytes; job: a job envelope `{job, ...}`. */
export type ResponseKind = 'object' | 'list' | 'file' | 'job';

/** Facts about the request an operation may use (never raw headers with credentials). */
export interface RequestFacts {
  /** Client address as trusted by configuration */
  ip: string;
  userAgent: string | undefined;
  /** Base URL for absolute links (GEOPERA_PUBLIC_URL or the request's own) */
  baseUrl: string;
  requestId: string;
  /** `Range` and `If-Range` for file responses */
  range: string | undefined;
  ifRange: string | undefined;
  /** Whether the client asked for a JSON descriptor instead of bytes (file operations) */
  wantsJson: boolean;
}

export interface OpContext {
  principal: Principal;
  services: Services;
  request: RequestFacts;
  log: Logger;
  /**
   * Spend operations with an Idempotency-Key: the key's reservation, for the service to store the exact
   * response body in the transaction that makes the job and the credit hold (the stored replay commits
   * with them or not at all).
   */
  idempotency?: IdempotentAnswer;
}

/** A file to stream (download). */
export interface FileAnswer {
  /** Its bytes from the file store: all of them, or the inclusive range (rejects before any byte when the file is gone) */
  open: (range?: { start: number; end: number }) => Promise<Readable>;
  size: number;
  sha256: string;
  mediaType: string;
  fileName: string;
  /**
   * Called before any byte is sent with the number about to be sent (the whole file or the range):
   * reserves them against the egress quota (throws 429 `egress_quota_exceeded` when it is used up)
   */
  reserve: (bytes: number, range: string | null) => Promise<void>;
  /** Called with the number of bytes actually sent, when the response ends or is aborted */
  onSent: (bytes: number, range: string | null) => Promise<void>;
}

export type OpResult =
  | { kind: 'object'; body: unknown }
  | { kind: 'list'; items: Iterable<unknown> | AsyncIterable<unknown>; envelope?: (items: unknown[]) => Record<string, unknown> }
  | { kind: 'file'; file: FileAnswer };

/**
 * One operation, declared once. `Id` and `R` keep the literal id and response kind, so the typed client
 * (`src/client`) can derive its namespaces and result types from the registry.
 */
export interface OperationDef<S extends z.ZodType = z.ZodType, Id extends string = string, R extends ResponseKind = ResponseKind> {
  /** Operation id, e.g. `clip.job.get` */
  id: Id;
  summary: string;
  scope: Scope;
  sideEffect: SideEffect;
  input: S;
  response: R;
  /** Set on operations geopera adds to the hosted API's eleven (documented as geopera extensions) */
  extension?: true;
  /** For list operations: what the JSON (non-NDJSON) answer looks like, described for docs */
  handler: (input: z.output<S>, ctx: OpContext) => Promise<OpResult>;
}

/** Declare an operation with its input type, literal id and response kind inferred. */
export function defineOperation<const Id extends string, S extends z.ZodType, const R extends ResponseKind>(def: OperationDef<S, Id, R>): OperationDef<S, Id, R> {
  return def;
}

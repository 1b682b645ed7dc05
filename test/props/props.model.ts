/**
 * What the operation-sequence properties expect, kept by the commands as they run: the jobs each org
 * was answered with, which are deleted, the Idempotency-Keys used and their first body and job, and the
 * download bytes that left the server's sockets per org.
 */
import type { OrgId } from './props.world.js';

export interface ModelJob {
  org: OrgId;
  types: string[];
  deleted: boolean;
}

export interface Model {
  jobs: Map<string, ModelJob>;
  /** `${org} ${key}` → the body first sent with it and the job it made */
  keys: Map<string, { body: string; jobId: string }>;
  /** Body bytes of 200/206 downloads that left the server's sockets, per org */
  sent: Record<OrgId, number>;
  /** What happened, counted over every sequence of a run (for the report): `create 402`, `download 206`, ... */
  seen: Record<string, number>;
}

/** Count one happening. */
export function saw(m: Model, what: string): void {
  m.seen[what] = (m.seen[what] ?? 0) + 1;
}

/** A fresh model; `seen` is shared across the sequences of a run. */
export function newModel(seen: Record<string, number> = {}): Model {
  return { jobs: new Map(), keys: new Map(), sent: { north: 0, south: 0 }, seen };
}

/** The model's jobs of an org, in creation order. */
export function jobsOf(m: Model, org: OrgId): string[] {
  return [...m.jobs].filter(([, j]) => j.org === org).map(([id]) => id);
}

/**
 * "An org has new job events": told to this node's listeners at once, after the transaction that wrote them
 * commits, and to every other node through the job notices (LISTEN/NOTIFY on PostgreSQL). Listeners (event
 * streams, webhook dispatchers) then read the events from the database: a lost signal only delays them
 * until their next poll, it never loses an event.
 */
import type { JobNotices } from './job.notices.js';

/** Every org: heard when the notice connection was opened again (what was said meanwhile is unknown). */
export const AnyOrg = '*';

export class EventSignals {
  private readonly listeners = new Set<(orgId: string) => void>();
  private stopNotices: (() => void) | undefined;

  constructor(private readonly notices: JobNotices) {}

  /** Say that `orgId` has new events (call after the commit). */
  announce(orgId: string): void {
    this.emit(orgId);
    this.notices.publish({ kind: 'event', orgId }).catch(() => {});
  }

  /** Hear announcements (of this node and the others); answers the function that stops listening. */
  subscribe(listener: (orgId: string) => void): () => void {
    this.listeners.add(listener);
    this.stopNotices ??= this.notices.subscribe((n) => {
      if (n.kind === 'event') this.emit(n.orgId);
      else if (n.kind === 'queued' && n.jobId === '') this.emit(AnyOrg);
    });
    return () => {
      this.listeners.delete(listener);
    };
  }

  private emit(orgId: string): void {
    for (const l of this.listeners) l(orgId);
  }
}

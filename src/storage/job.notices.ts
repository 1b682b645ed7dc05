/**
 * Job notices between nodes: a job was queued (claim it now rather than at the next poll) or deleted
 * (stop it now rather than at the next heartbeat). PostgreSQL carries them with LISTEN/NOTIFY; one SQLite
 * node has nobody to tell (its service calls its runner directly).
 */
export type JobNotice = { kind: 'queued'; jobId: string } | { kind: 'canceled'; jobId: string } | EventNotice;

/** An org has new job events (the event stream and the webhook dispatchers read them). */
export interface EventNotice {
  kind: 'event';
  orgId: string;
}

export interface JobNotices {
  /** Tell every node (this one included) */
  publish(notice: JobNotice): Promise<void>;
  /** Hear notices; answers the function that stops listening */
  subscribe(listener: (notice: JobNotice) => void): () => void;
}

/** A single node's notices: nobody else to tell. */
export const NoNotices: JobNotices = {
  publish: async () => {},
  subscribe: () => () => {},
};

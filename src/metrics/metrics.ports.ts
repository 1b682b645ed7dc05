/**
 * What the job runner, the tile renderer and downloads report to the node's metrics: small ports, so
 * those layers know nothing of Prometheus (node.metrics.ts implements them; tests may pass nothing).
 */

/** How a tile request was answered. */
export type TileOutcome = 'rendered' | 'cached' | 'joined' | 'not_modified' | 'empty';

export interface JobMetrics {
  /** One attempt of a job ended on this node after `seconds` */
  clipFinished(outcome: 'completed' | 'failed' | 'aborted', seconds: number): void;
}

export interface TileMetrics {
  tile(layer: 'job' | 'area', outcome: TileOutcome): void;
  /** One render took `seconds` (read, resample, encode) */
  tileRendered(seconds: number): void;
}

export interface EgressMetrics {
  /** Bytes of a download actually handed to the client */
  egressSent(bytes: number): void;
  /** A download refused by the egress quota */
  egressRefusedOnce(): void;
}

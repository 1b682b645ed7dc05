/**
 * The webhook dispatcher every node runs: it claims due deliveries from the outbox (leased, so each is sent
 * by one node at a time and taken over if that node dies mid-send), signs and POSTs them with bounded
 * concurrency and a timeout, and settles each try (delivered, retried with backoff and jitter, or given up
 * after a day). It runs beside the API and the clips and shares nothing with them but the database: a
 * receiver that is down, slow or failing costs one of its `concurrency` slots, never a request or a clip.
 */
import { SingleFlight } from '../jobs/single.flight.js';
import type { Logger } from '../log.js';
import type { Storage } from '../storage/storage.js';
import type { ClaimedDelivery } from '../storage/webhook.store.js';
import type { Clock, TimerHandle } from './clock.js';
import { eventPayload } from './event.payload.js';
import { nextAttemptAt } from './webhook.backoff.js';
import { sendWebhook } from './webhook.send.js';
import { signWebhook } from './webhook.sign.js';

export interface DispatcherOptions {
  nodeId: string;
  /** Deliveries in flight at once on this node */
  concurrency: number;
  /** One try's time limit, ms */
  timeoutMs: number;
  allowPrivate: boolean;
  clock: Clock;
  /** In [0, 1), for the jitter */
  random?: () => number;
  /** How often to look for due deliveries without a signal, ms (default 1000) */
  pollMs?: number;
}

export class WebhookDispatcher {
  private readonly inFlight = new Set<Promise<void>>();
  private timer: TimerHandle | undefined;
  private stopped = true;
  private closed = false;
  private unsubscribe: (() => void) | undefined;
  /** Tries made by this node (for tests and logs) */
  sent = 0;
  /** Claim passes, one at a time; when one ends with none asked for, the poll timer is armed again */
  private readonly passes = new SingleFlight(() => this.pass(), {
    onError: (err) => this.log.warn({ err }, 'Webhooks:ClaimFailed'),
    idle: () => this.schedule(),
    stopped: () => this.stopped,
  });

  constructor(private readonly storage: Storage, private readonly log: Logger, private readonly opts: DispatcherOptions) {}

  /** Start polling (and listening for new events). */
  start(): void {
    this.stopped = false;
    this.unsubscribe = this.storage.signals.subscribe(() => this.wake());
    this.schedule();
  }

  /** Stop claiming; wait for the tries in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.closed = true;
    this.unsubscribe?.();
    if (this.timer !== undefined) this.opts.clock.clearTimeout(this.timer);
    await Promise.all(this.inFlight);
  }

  private schedule(): void {
    if (this.stopped) return;
    if (this.timer !== undefined) this.opts.clock.clearTimeout(this.timer);
    this.timer = this.opts.clock.setTimeout(() => this.wake(), this.opts.pollMs ?? 1000);
  }

  /** Claim and send what is due now (one pass at a time; a wake during a pass asks for another). */
  wake(): void {
    this.passes.wake();
  }

  /** One claim pass: sends start in the background; resolves when they are claimed. */
  async pass(): Promise<number> {
    const free = this.opts.concurrency - this.inFlight.size;
    if (free <= 0 || this.closed) return 0;
    // The lease outlives the try's timeout, so that a live node never loses a delivery it is sending.
    const claimed = await this.storage.webhooks.claim(this.opts.nodeId, free, this.opts.timeoutMs + 30_000, this.opts.clock.now());
    for (const d of claimed) {
      const p = this.deliver(d).catch((err: unknown) => this.log.warn({ err, deliveryId: d.id }, 'Webhook:SettleFailed')).finally(() => {
        this.inFlight.delete(p);
        if (!this.stopped) this.wake();
      });
      this.inFlight.add(p);
    }
    return claimed.length;
  }

  /** Claim and send everything due now, and wait for those tries to settle (tests drive time with it). */
  async drain(): Promise<number> {
    let n = 0;
    for (;;) {
      const got = await this.pass();
      await Promise.all(this.inFlight);
      n += got;
      if (got === 0) return n;
    }
  }

  private async deliver(d: ClaimedDelivery): Promise<void> {
    const body = JSON.stringify(eventPayload({ type: d.type, created_at: d.event_created_at, job: d.job }, d.aoi));
    const now = this.opts.clock.now();
    const headers = signWebhook(d.secret, d.event_id, Math.floor(now / 1000), body);
    this.sent++;
    const r = await sendWebhook(d.url, headers, body, { allowPrivate: this.opts.allowPrivate, timeoutMs: this.opts.timeoutMs, clock: this.opts.clock });
    const at = this.opts.clock.now();
    const ok = r.status !== null && r.status >= 200 && r.status < 300;
    const retryAt = ok ? null : nextAttemptAt(d.attempts, at, d.give_up_at, this.opts.random ?? Math.random);
    const kept = await this.storage.webhooks.settle(d, this.opts.nodeId, ok ? { ok: true, status: r.status, error: null, durationMs: r.durationMs } : { ok: false, status: r.status, error: r.error, durationMs: r.durationMs, retryAt }, at);
    const fields = { deliveryId: d.id, endpointId: d.endpoint_id, eventId: d.event_id, type: d.type, jobId: d.job_id, attempt: d.attempts, status: r.status, durationMs: r.durationMs };
    if (!kept) this.log.warn(fields, 'Webhook:LeaseLost');
    else if (ok) this.log.info(fields, 'Webhook:Delivered');
    else this.log.warn({ ...fields, error: r.error, retryAt: retryAt === null ? null : new Date(retryAt).toISOString() }, retryAt === null ? 'Webhook:GaveUp' : 'Webhook:Failed');
  }
}

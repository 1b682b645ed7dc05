/** `geopera admin webhook add|list|remove|deliveries`: an org's webhook endpoints and their delivery log. */
import { randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import { webhookUrlProblem } from '../events/address.policy.js';
import { newWebhookSecret } from '../events/webhook.sign.js';
import { WebhookEventTypes, type JobEventType } from '../storage/event.store.js';
import type { Storage } from '../storage/storage.js';
import type { EndpointRow } from '../storage/webhook.store.js';

/** Thrown for usage mistakes (the admin command's UsageError is made from its message). */
export class WebhookUsage extends Error {}

/** An endpoint as listed: never its secret. */
function view(e: EndpointRow): Record<string, unknown> {
  return { id: e.id, organization_id: e.org_id, url: e.url, events: e.events.split(' '), created_at: e.created_at };
}

function eventsOf(text: string | undefined): JobEventType[] {
  if (!text) return [...WebhookEventTypes];
  const list = [...new Set(text.split(',').map((s) => s.trim()).filter(Boolean))];
  const bad = list.filter((e) => !WebhookEventTypes.includes(e as JobEventType));
  if (bad.length > 0 || list.length === 0) throw new WebhookUsage(`--events takes some of: ${WebhookEventTypes.join(', ')} (not: ${bad.join(', ') || 'nothing'})`);
  return list as JobEventType[];
}

export async function runWebhookCommand(
  storage: Storage, config: Config, action: string | undefined, positionals: string[],
  values: { org?: string | undefined; url?: string | undefined; events?: string | undefined; endpoint?: string | undefined; limit?: string | undefined }, print: (v: unknown) => void,
): Promise<void> {
  if (action === 'add') {
    if (!values.org || !(await storage.orgs.get(values.org))) throw new WebhookUsage(`webhook add needs --org <org_id> of an existing organization`);
    if (!values.url) throw new WebhookUsage('webhook add needs --url <http(s) URL>');
    const problem = webhookUrlProblem(values.url, config.webhooks.allowPrivate);
    if (problem) throw new WebhookUsage(`--url: ${problem}`);
    const secret = newWebhookSecret();
    const row = await storage.webhooks.addEndpoint({ id: `whe_${randomBytes(9).toString('base64url')}`, org_id: values.org, url: values.url, events: eventsOf(values.events).join(' '), secret });
    process.stderr.write(`Created webhook endpoint ${row.id} for org ${row.org_id}. Its signing secret is shown once; store it now (verify with the standardwebhooks package).\n`);
    print({ ...view(row), secret });
  } else if (action === 'list') {
    print((await storage.webhooks.endpoints(values.org)).map(view));
  } else if (action === 'remove') {
    const id = positionals[0] ?? '';
    if (!(await storage.webhooks.removeEndpoint(id))) throw new WebhookUsage(`No webhook endpoint with id "${id}"`);
    print({ id, removed: true });
  } else if (action === 'deliveries') {
    const limit = values.limit === undefined ? 50 : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new WebhookUsage(`--limit must be a whole number, got "${values.limit}"`);
    const rows = await storage.webhooks.deliveries({ ...(values.org ? { orgId: values.org } : {}), ...(values.endpoint ? { endpointId: values.endpoint } : {}), limit });
    const tries = await storage.webhooks.attempts(rows.map((r) => r.id));
    print(rows.map((r) => ({
      id: r.id, endpoint_id: r.endpoint_id, event_id: r.event_id, type: r.type, job_id: r.job_id, state: r.state, attempts: r.attempts,
      last_status: r.last_status, last_error: r.last_error, next_attempt_at: r.state === 'pending' ? new Date(r.next_attempt_at).toISOString() : null,
      created_at: r.created_at, finished_at: r.finished_at,
      tries: tries.filter((a) => a.delivery_id === r.id).map((a) => ({ attempt: a.attempt, at: a.at, node: a.node_id, status: a.status, error: a.error, duration_ms: a.duration_ms })),
    })));
  } else {
    throw new WebhookUsage(`Unknown webhook command "${action ?? ''}" (add, list, remove, deliveries)`);
  }
}

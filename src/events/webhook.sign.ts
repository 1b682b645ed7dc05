/**
 * Standard Webhooks signatures (standardwebhooks.com): `webhook-id`, `webhook-timestamp` (unix seconds) and
 * `webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`, keyed with the base64 bytes of a
 * `whsec_…` secret. Receivers verify with the `standardwebhooks` packages.
 */
import { createHmac, randomBytes } from 'node:crypto';

const SecretPrefix = 'whsec_';

/** A new endpoint secret: `whsec_` and 32 random bytes in base64. */
export function newWebhookSecret(): string {
  return `${SecretPrefix}${randomBytes(32).toString('base64')}`;
}

/** The headers of one signed delivery. */
export function signWebhook(secret: string, id: string, timestampS: number, body: string): Record<string, string> {
  const key = Buffer.from(secret.startsWith(SecretPrefix) ? secret.slice(SecretPrefix.length) : secret, 'base64');
  const mac = createHmac('sha256', key).update(`${id}.${timestampS}.${body}`).digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': String(timestampS), 'webhook-signature': `v1,${mac}` };
}

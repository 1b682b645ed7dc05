/** Structured logs (pino). Messages are `Noun:Verb`; data first; never a full API key. */
import { pino, type Logger } from 'pino';

export type { Logger };

/** Make the root logger. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'geopera' }, redact: { paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'key', 'token'], censor: '[redacted]' } });
}

/** Structured logs (pino). Messages are `Noun:Verb`; data first; never a full API key. */
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** Make the root logger (to stdout, or to `destination`: tests read every line written). */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, base: { service: 'geopera' }, redact: { paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'key', 'token'], censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}

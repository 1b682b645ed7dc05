/** Server-Sent Events frames (the `text/event-stream` format) parsed from a response body as they arrive. */

/** One frame: its `event` (default `message`), `id` and the `data` lines parsed as JSON. */
export interface SseFrame<T = unknown> {
  event: string;
  id: string | undefined;
  data: T;
}

/** Parse the complete frames at the start of `buffer`; answers them and the unparsed rest. Comments (`:`) are skipped. */
export function parseSseFrames(buffer: string): { frames: SseFrame[]; rest: string } {
  const frames: SseFrame[] = [];
  let rest = buffer.replace(/\r\n?/g, '\n');
  for (let end = rest.indexOf('\n\n'); end >= 0; end = rest.indexOf('\n\n')) {
    const block = rest.slice(0, end);
    rest = rest.slice(end + 2);
    let event = 'message';
    let id: string | undefined;
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const i = line.indexOf(':');
      const field = i < 0 ? line : line.slice(0, i);
      const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'id') id = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length > 0) frames.push({ event, id, data: JSON.parse(data.join('\n')) as unknown });
  }
  return { frames, rest };
}

/** The frames of a `text/event-stream` body, in order, until it ends or `signal` aborts (which cancels the body). */
export async function* sseFrames(body: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<SseFrame> {
  const reader = body.getReader();
  const cancel = (): void => { void reader.cancel(signal?.reason).catch(() => undefined); };
  signal?.addEventListener('abort', cancel, { once: true });
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done || signal?.aborted) return;
      const parsed = parseSseFrames(buffer + decoder.decode(value, { stream: true }));
      buffer = parsed.rest;
      yield* parsed.frames;
    }
  } finally {
    signal?.removeEventListener('abort', cancel);
    void reader.cancel().catch(() => undefined);
  }
}

/** The server answered something other than an event stream (it has none: the hosted API, an older geopera). */
export class NoEventStream extends Error {
  override name = 'NoEventStream';
}

/** The frames of an answer that is a `text/event-stream`; throws `NoEventStream` (the body cancelled) for any other. */
export async function eventFrames(res: Response, signal?: AbortSignal): Promise<AsyncGenerator<SseFrame>> {
  if (!res.ok || !res.body || !(res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
    await res.body?.cancel().catch(() => undefined);
    throw new NoEventStream(`GET /v1/events answered ${res.status} ${res.headers.get('content-type') ?? ''}, not an event stream`);
  }
  return sseFrames(res.body, signal);
}

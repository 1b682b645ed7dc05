/** A Server-Sent Events reader for tests: frames parsed from a fetch body as they arrive, read until a condition holds. */

export interface SseFrame {
  event: string;
  id: string | undefined;
  data: any;
}

/** Parse complete frames from `buffer`; answers them and the unparsed rest. */
export function parseFrames(buffer: string): { frames: SseFrame[]; rest: string } {
  const frames: SseFrame[] = [];
  let rest = buffer;
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
    if (data.length > 0) frames.push({ event, id, data: JSON.parse(data.join('\n')) });
  }
  return { frames, rest };
}

/** An open stream: `until` reads frames until `done(frames)` holds (at most `maxReads` body reads: a hang guard). */
export async function openSse(url: string, headers: Record<string, string>) {
  const ctl = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: ctl.signal });
  const reader = res.body!.getReader();
  const frames: SseFrame[] = [];
  let buffer = '';
  return {
    res,
    frames,
    async until(done: (frames: SseFrame[]) => boolean, maxReads = 2000): Promise<SseFrame[]> {
      for (let reads = 0; !done(frames); reads++) {
        if (reads >= maxReads) throw new Error(`stream: condition not met after ${reads} reads (${frames.length} frames: ${frames.map((f) => f.event).join(' ')})`);
        const { value, done: ended } = await reader.read();
        if (ended) throw new Error(`stream ended (${frames.length} frames)`);
        const parsed = parseFrames(buffer + new TextDecoder().decode(value));
        buffer = parsed.rest;
        frames.push(...parsed.frames);
      }
      return frames;
    },
    close(): void {
      ctl.abort();
    },
  };
}

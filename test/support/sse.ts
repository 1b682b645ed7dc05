/** A Server-Sent Events reader for tests: frames parsed from a fetch body as they arrive (the SDK's parser), read until a condition holds. */
import { parseSseFrames, type SseFrame as Frame } from '../../src/client/sse.frames.js';

/** A frame whose data the tests read freely. */
export type SseFrame = Frame<any>;

/** Parse complete frames from `buffer`; answers them and the unparsed rest. */
const parseFrames = (buffer: string): { frames: SseFrame[]; rest: string } => parseSseFrames(buffer);

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

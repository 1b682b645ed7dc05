/** Records of an NDJSON body (one JSON value a line), decoded as bytes arrive. */

/** geopera ends a stream that failed part-way with this line instead of a record. */
export interface StreamErrorLine {
  error: { code: string; request_id?: string; message?: string };
}

/** Whether a parsed line is the server's mid-stream error marker (a record may carry its own `error` string). */
export function isStreamError(value: unknown): value is StreamErrorLine {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  const err = (value as { error?: unknown }).error;
  return keys.length === 1 && keys[0] === 'error' && !!err && typeof err === 'object' && typeof (err as { code?: unknown }).code === 'string';
}

/** Split byte chunks into text lines (any chunking; `\r\n` tolerated; blank lines skipped). */
export async function* textLines(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let pending = '';
  for await (const chunk of chunks) {
    pending += decoder.decode(chunk, { stream: true });
    let nl = pending.indexOf('\n');
    while (nl >= 0) {
      const line = pending.slice(0, nl).replace(/\r$/, '');
      pending = pending.slice(nl + 1);
      if (line.trim()) yield line;
      nl = pending.indexOf('\n');
    }
  }
  pending += decoder.decode();
  if (pending.trim()) yield pending.replace(/\r$/, '');
}

/** Parse each line as JSON; a line that is not JSON is an error naming its number. */
export async function* ndjsonRecords(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<unknown> {
  let n = 0;
  for await (const line of textLines(chunks)) {
    n += 1;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new Error(`NDJSON line ${n} is not JSON: ${line.slice(0, 80)}`);
    }
    yield value;
  }
}

/**
 * The `client.clip.area.metadata(body)` surface, built at run time from the operations registry (ids
 * split on dots) and typed from it: `Namespace` turns the union of operation ids into nested objects
 * whose leaves are methods typed by each operation's input schema and response kind.
 */
import type { OperationDef } from '../operations/op.types.js';
import type {
  FileOperationId, ListItem, ListOperationId, OperationId, OperationInput, OperationOutput,
} from './client.types.js';
import type { DownloadOptions, DownloadResult } from './file.download.js';

/** Per-call options (all optional). */
export interface CallOptions {
  signal?: AbortSignal;
  /** Extra headers for this call */
  headers?: Record<string, string>;
  /** For spend operations: the `Idempotency-Key` to send (default: a new UUID per call, reused on its retries) */
  idempotencyKey?: string;
  /** Retries for this call (default: the client's) */
  retries?: number;
}

/** Options of a download to a file. */
export type DownloadCallOptions = CallOptions & DownloadOptions;

type Body<K extends OperationId> = OperationInput<K>;
type Callable<K extends OperationId, R> = Record<never, never> extends Body<K>
  ? (body?: Body<K>, opts?: CallOptions) => R
  : (body: Body<K>, opts?: CallOptions) => R;

/** An operation answering one JSON document. */
export type ObjectMethod<K extends OperationId> = Callable<K, Promise<OperationOutput<K>>>;

/** A list operation: call it for the JSON envelope, or `.stream()` its records as they arrive (NDJSON). */
export type ListMethod<K extends ListOperationId> = ObjectMethod<K> & { stream: Callable<K, AsyncIterable<ListItem<K>>> };

/** A file operation: without `to` it answers the JSON descriptor (signed link); with `to` it downloads to that path. */
export interface FileMethod<K extends FileOperationId> {
  (body: Body<K>, opts: DownloadCallOptions): Promise<DownloadResult>;
  (body: Body<K>, opts?: CallOptions): Promise<OperationOutput<K>>;
}

/** The method for one operation id. */
export type MethodOf<K extends OperationId> = K extends ListOperationId
  ? ListMethod<K>
  : K extends FileOperationId
    ? FileMethod<K>
    : ObjectMethod<K>;

type ChildOf<I, P extends string> = I extends `${P}${infer Rest}` ? (Rest extends `${infer H}.${string}` ? H : Rest) : never;

/** The namespace below prefix `P` (`''` for the root, `'clip.'` for `client.clip`). */
export type Namespace<P extends string = ''> = {
  readonly [H in ChildOf<OperationId, P>]: `${P}${H}` extends OperationId ? MethodOf<`${P}${H}`> : Namespace<`${P}${H}.`>;
};

/** What the namespaces call into (the client). */
export interface NamespaceTarget {
  invoke(op: string, body: unknown, opts?: CallOptions): Promise<unknown>;
  stream(op: string, body: unknown, opts?: CallOptions): AsyncIterable<unknown>;
  download(op: string, body: unknown, opts: DownloadCallOptions): Promise<DownloadResult>;
}

type Method = ((body?: unknown, opts?: CallOptions | DownloadCallOptions) => Promise<unknown>) & {
  stream?: (body?: unknown, opts?: CallOptions) => AsyncIterable<unknown>;
  /** The operation id this method calls */
  operationId: string;
};

function methodFor(target: NamespaceTarget, op: OperationDef): Method {
  const call = (body?: unknown, opts?: CallOptions | DownloadCallOptions): Promise<unknown> => {
    if (op.response === 'file' && opts && 'to' in opts && typeof opts.to === 'string') return target.download(op.id, body, opts);
    return target.invoke(op.id, body, opts);
  };
  const method = Object.assign(call, { operationId: op.id }) as Method;
  if (op.response === 'list') method.stream = (body?: unknown, opts?: CallOptions) => target.stream(op.id, body, opts);
  return method;
}

/** Nested plain objects, one leaf method per operation (no Proxy: nothing is thenable, typos are undefined). */
export function buildNamespaces(target: NamespaceTarget, ops: readonly OperationDef[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const op of ops) {
    const parts = op.id.split('.');
    let node = root;
    for (const part of parts.slice(0, -1)) {
      const next = node[part];
      if (typeof next === 'function') throw new Error(`Operation ids collide: "${op.id}" goes below another operation`);
      node = (next as Record<string, unknown> | undefined) ?? (node[part] = {}) as Record<string, unknown>;
    }
    const leaf = parts.at(-1)!;
    if (node[leaf] !== undefined) throw new Error(`Operation ids collide at "${op.id}"`);
    node[leaf] = methodFor(target, op);
  }
  return root;
}

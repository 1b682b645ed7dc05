/**
 * The client's surface, built from the registry: one typed method per operation at its dotted path,
 * `.stream` on list operations, `clip.job.wait`, the credential header, the request it sends. The
 * `@ts-expect-error` lines are the compile-time half: `npx tsc --noEmit` fails if a wrong body compiles.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_BASE_URL, GeoperaClient, GeoperaError } from '../../src/client/index.js';
import { OperationList } from '../../src/operations/registry.js';

/** Never run: type checks only. */
async function typeChecks(c: GeoperaClient): Promise<void> {
  const areas = await c.clip.areas.list();
  areas.items[0]?.mosaic_types.at(0);
  for await (const f of c.clip.area.metadata.stream({ area: 'a' })) f.properties.capture_date.toUpperCase();
  // @ts-expect-error area is required
  await c.clip.area.metadata({});
  // @ts-expect-error mosaic_types is a string array
  await c.clip.create_from_area({ area: 'a', mosaic_types: 'visual', aoi_geometry: {}, organization_id: 'o' });
  // @ts-expect-error organization_id is required
  await c.clip.create_from_area({ area: 'a', mosaic_types: ['visual'], aoi_geometry: {} });
  // @ts-expect-error aoi_geometry is required by create_from_item's documented fields
  await c.clip.create_from_item({ source_item_id: 's' });
  // @ts-expect-error there is no such operation
  await c.clip.job.cancel({ job_id: 'j' });
  // @ts-expect-error not an operation id
  await c.invoke('clip.job.tileinfo', { job_id: 'j' });
  // @ts-expect-error only list operations stream
  c.clip.job.get.stream({ job_id: 'j' });
  const saved = await c.clip.job.download({ job_id: 'j', mosaic_type: 'visual' }, { to: '/tmp/x.tif' });
  saved.sha256.toUpperCase();
  const descriptor = await c.clip.job.download({ job_id: 'j', mosaic_type: 'visual' });
  descriptor.url.toUpperCase();
  const job = await c.clip.job.wait('j', { onProgress: (j) => j.progress.toFixed() });
  job.status.toUpperCase();
  const page = await c.clip.jobs.list({ organization_id: 'o' });
  page.total.toFixed();
}
void typeChecks;

interface Captured { url: string; init: RequestInit }

function capturing(answer: unknown = { ok: true }): { fetch: typeof fetch; calls: Captured[] } {
  const calls: Captured[] = [];
  const f = (async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    return new Response(JSON.stringify(answer), { status: 200, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  return { fetch: f, calls };
}

const headersOf = (c: Captured): Record<string, string> => c.init.headers as Record<string, string>;

describe('client surface', () => {
  it('has a method for every operation at its dotted path, naming the operation', () => {
    const client = new GeoperaClient({ token: 't' }) as unknown as Record<string, unknown>;
    for (const op of OperationList) {
      const method = op.id.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], client) as { operationId?: string; stream?: unknown };
      assert.equal(typeof method, 'function', op.id);
      assert.equal(method.operationId, op.id);
      assert.equal(typeof method.stream === 'function', op.response === 'list', `${op.id} streams iff it is a list`);
    }
    assert.equal(typeof (client.clip as { job: { wait: unknown } }).job.wait, 'function');
  });

  it('is not a thenable, requires a token, trims the base URL', async () => {
    const client = new GeoperaClient({ token: 't', baseUrl: 'http://geo.example:8080//' });
    assert.equal('then' in client, false);
    assert.equal(await Promise.resolve(client), client, 'awaiting the client resolves to it');
    assert.equal(client.baseUrl, 'http://geo.example:8080');
    assert.equal(new GeoperaClient({ token: 't' }).baseUrl, DEFAULT_BASE_URL);
    assert.throws(() => new GeoperaClient({ token: '' }), /token/);
    assert.ok(client instanceof GeoperaClient);
  });

  it('posts JSON to /v1/op/<id>; a gpra_ key goes as X-API-Key, anything else as Bearer', async () => {
    const a = capturing();
    await new GeoperaClient({ token: 'gpra_abc', baseUrl: 'http://h', fetch: a.fetch }).clip.job.get({ job_id: 'j1' });
    assert.equal(a.calls[0]!.url, 'http://h/v1/op/clip.job.get');
    assert.equal(a.calls[0]!.init.method, 'POST');
    assert.equal(a.calls[0]!.init.body, '{"job_id":"j1"}');
    assert.equal(headersOf(a.calls[0]!)['X-API-Key'], 'gpra_abc');
    assert.equal(headersOf(a.calls[0]!).Authorization, undefined);
    assert.equal(headersOf(a.calls[0]!).Accept, 'application/json');

    const b = capturing();
    await new GeoperaClient({ token: 'eyJ.session', baseUrl: 'http://h', fetch: b.fetch, headers: { 'X-Extra': '1' } }).clip.areas.list();
    assert.equal(headersOf(b.calls[0]!).Authorization, 'Bearer eyJ.session');
    assert.equal(headersOf(b.calls[0]!)['X-Extra'], '1');
    assert.equal(b.calls[0]!.init.body, '{}', 'no body is {}');
  });

  it('sends an Idempotency-Key on spend operations only', async () => {
    const a = capturing({ job: { id: 'j' } });
    const client = new GeoperaClient({ token: 'gpra_abc', baseUrl: 'http://h', fetch: a.fetch });
    await client.clip.create_from_item({ source_item_id: 's', aoi_geometry: {} });
    await client.clip.job.delete({ job_id: 'j' });
    assert.match(headersOf(a.calls[0]!)['Idempotency-Key'] ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(headersOf(a.calls[1]!)['Idempotency-Key'], undefined);
  });

  it('turns a problem answer into GeoperaError with its fields', async () => {
    const f = (async () => new Response(JSON.stringify({ title: 'Forbidden', status: 403, detail: 'Missing scope clip:write', code: 'missing_scope', request_id: 'r-1' }), {
      status: 403, headers: { 'content-type': 'application/problem+json' },
    })) as typeof fetch;
    const err = await new GeoperaClient({ token: 't', fetch: f }).clip.job.get({ job_id: 'j' }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof GeoperaError);
    assert.equal(err.name, 'GeoperaError');
    assert.deepEqual([err.status, err.operation, err.code, err.requestId], [403, 'clip.job.get', 'missing_scope', 'r-1']);
    assert.match(err.message, /clip\.job\.get.*403.*Missing scope/);
  });
});

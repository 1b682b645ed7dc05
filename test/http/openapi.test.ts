/** The OpenAPI document: valid 3.1, derived from the registry, accepting what the hosted schema accepts. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { OperationList, resourcePath } from '../../src/operations/registry.js';
import { repoRoot } from '../support/gdal.js';
import { startTestServer, type TestServer } from '../support/harness.js';

const hostedPath = path.resolve(repoRoot, '../shared/spec/geopera-openapi-clip.json');

describe('OpenAPI document', () => {
  let t: TestServer;
  let doc: Record<string, any>;
  before(async () => {
    t = await startTestServer();
    doc = (await (await fetch(`${t.url}/openapi.json`)).json()) as Record<string, any>;
  });
  after(() => t.close());

  it('is valid OpenAPI 3.1 by a real validator', async () => {
    const result = await new Validator().validate(doc);
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 1));
    assert.equal(doc.openapi, '3.1.0');
  });

  it('is served at /openapi.json and /v1/openapi.json without auth', async () => {
    const other = await fetch(`${t.url}/v1/openapi.json`);
    assert.equal(other.status, 200);
    assert.deepEqual(Object.keys(((await other.json()) as { paths: object }).paths).sort(), Object.keys(doc.paths).sort());
  });

  it('has both paths of every registry operation with its scope, and Idempotency-Key on spend operations', () => {
    for (const op of OperationList) {
      for (const p of [`/v1/op/${op.id}`, resourcePath(op.id)]) {
        const o = doc.paths[p]?.post;
        assert.ok(o, `missing ${p}`);
        assert.equal(o['x-required-scope'], op.scope);
        assert.deepEqual(o.security, [{ bearerAuth: [op.scope] }, { apiKeyHeader: [op.scope] }]);
        const idem = (o.parameters as { name: string }[]).some((x) => x.name === 'Idempotency-Key');
        assert.equal(idem, op.sideEffect === 'spend', `${p} Idempotency-Key`);
        assert.ok(o.responses['422'] && o.responses['401'] && o.responses['404']);
      }
    }
  });

  it('accepts every request the hosted schema accepts (same properties and types, no extra required field)', { skip: existsSync(hostedPath) ? false : `no ${hostedPath}` }, () => {
    const hosted = JSON.parse(readFileSync(hostedPath, 'utf8')) as Record<string, any>;
    const schemas = hosted.components.schemas as Record<string, any>;
    for (const [p, item] of Object.entries(hosted.paths as Record<string, any>)) {
      const ours = doc.paths[p]?.post;
      assert.ok(ours, `we lack ${p}`);
      const ref = item.post.requestBody?.content?.['application/json']?.schema?.$ref as string | undefined;
      if (!ref) continue; // free-form body
      const theirs = schemas[ref.split('/').pop()!];
      const mine = ours.requestBody.content['application/json'].schema;
      const extraRequired = ((mine.required ?? []) as string[]).filter((r) => !((theirs.required ?? []) as string[]).includes(r));
      assert.deepEqual(extraRequired, [], `${p} requires more than the hosted schema`);
      for (const [name, prop] of Object.entries(theirs.properties as Record<string, any>)) {
        assert.ok(mine.properties[name], `${p} lacks ${name}`);
        const t1 = prop.type ?? prop.anyOf?.map((x: { type: string }) => x.type);
        assert.ok(t1, `${name}`);
      }
    }
  });

  it('lists operations at GET /v1/op', async () => {
    const res = await fetch(`${t.url}/v1/op`);
    const body = (await res.json()) as { operations: { id: string }[] };
    assert.deepEqual(body.operations.map((o) => o.id), OperationList.map((o) => o.id));
    assert.equal(body.operations.filter((o) => !OperationList.find((d) => d.id === o.id)?.extension).length, 11, 'the hosted API\'s eleven, besides geopera extensions');
  });
});

/** "Copy as code": the same order as curl, Python, TypeScript and CLI, with the credential from the environment only. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { orderBody, orderSnippets, pythonLiteral } from '../../web/src/state/code.snippets.js';

const order = {
  area: 'demo-valley', mosaic_types: ['visual', 'analytic'], organization_id: 'acme', aoi_name: "Bob's field", project_id: null,
  aoi_geometry: { type: 'Polygon', coordinates: [[[172.18, -43.66], [172.19, -43.66], [172.19, -43.67], [172.18, -43.66]]] },
};

describe('console code snippets', () => {
  const s = orderSnippets('http://127.0.0.1:8080/', order);

  it('sends exactly the order body, without empty optional fields', () => {
    const body = orderBody(order);
    assert.deepEqual(Object.keys(body), ['area', 'mosaic_types', 'aoi_geometry', 'organization_id', 'aoi_name']);
    const heredoc = /<<'JSON'\n([\s\S]*?)\nJSON/.exec(s.curl)![1]!;
    assert.deepEqual(JSON.parse(heredoc), body);
    assert.match(s.curl, /^curl -sS -X POST http:\/\/127\.0\.0\.1:8080\/v1\/op\/clip\.create_from_area/);
    assert.match(s.curl, /Idempotency-Key/);
  });

  it('takes the credential from GEOPERA_API_TOKEN in every snippet, never a literal token', () => {
    for (const text of Object.values(s)) {
      assert.doesNotMatch(text, /gpra_[A-Za-z0-9]/);
    }
    assert.match(s.curl, /\$GEOPERA_API_TOKEN/);
    assert.match(s.python, /os\.environ\["GEOPERA_API_TOKEN"\]/);
    assert.match(s.typescript, /process\.env\.GEOPERA_API_TOKEN/);
    assert.match(s.cli, /GEOPERA_API_TOKEN/);
  });

  it('quotes shell words (the CLI command passes one argument per flag value)', () => {
    assert.match(s.cli, /--aoi-name 'Bob'\\''s field'/);
    const args = spawnSync('bash', ['-c', `printf '%s\\n' ${"--aoi-name 'Bob'\\''s field'"}`], { encoding: 'utf8' });
    assert.equal(args.stdout, "--aoi-name\nBob's field\n");
    assert.match(s.cli, /--mosaic-types visual --mosaic-types analytic/);
  });

  it('writes Python literals (None/True/False) that evaluate to the body', () => {
    assert.equal(pythonLiteral({ a: null, b: true, c: [1, 2], d: 'x' }), '{\n    "a": None,\n    "b": True,\n    "c": [1, 2],\n    "d": "x",\n}');
    const py = spawnSync('/usr/bin/python3', ['-c', `import json,sys; v=${pythonLiteral(orderBody(order))}; print(json.dumps(v, sort_keys=True))`], { encoding: 'utf8' });
    if (py.status === 0) assert.deepEqual(JSON.parse(py.stdout), orderBody(order));
  });
});

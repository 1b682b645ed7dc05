/**
 * Bodies over the limit (1 MiB) answer 413 in a way clients that write the whole body before reading
 * can read: the server reads and discards the body (up to 64 MiB) before it answers. Checked with an
 * independent client, Python's urllib (`/usr/bin/python3`), which sends all 8 MB first.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { DiscardCapBytes } from '../../src/http/body.read.js';
import { startTestServer, type TestServer } from '../support/harness.js';

const run = promisify(execFile);
const python = '/usr/bin/python3';

/** POST 8 MB to an operation with urllib; prints `status code` of the answer, or the exception. */
const UrllibClient = `
import json, sys, urllib.request, urllib.error
url, key, mode = sys.argv[1], sys.argv[2], sys.argv[3]
pad = b'x' * (8 * 1024 * 1024)
def chunks():
    yield b'{"area": "demo-valley", "pad": "'
    for i in range(0, len(pad), 1 << 20):
        yield pad[i:i + (1 << 20)]
    yield b'"}'
body = chunks() if mode == 'chunked' else b'{"area": "demo-valley", "pad": "' + pad + b'"}'
headers = {'content-type': 'application/json'}
if key != '-':
    headers['x-api-key'] = key
req = urllib.request.Request(url, data=body, headers=headers, method='POST')
try:
    with urllib.request.urlopen(req) as res:
        print(res.status, 'no-error')
except urllib.error.HTTPError as e:
    print(e.code, json.loads(e.read())['code'])
except Exception as e:
    print('exception', type(e).__name__, e)
`;

async function urllib(url: string, key: string, mode: 'length' | 'chunked'): Promise<string> {
  const { stdout } = await run(python, ['-c', UrllibClient, url, key, mode]);
  return stdout.trim();
}

describe('bodies over the limit', { skip: existsSync(python) ? false : `${python} not found: the independent-client check needs it` }, () => {
  let t: TestServer;
  before(async () => { t = await startTestServer(); });
  after(() => t.close());

  it('an 8 MB clip.create_from_area body with Content-Length gets a readable 413 at urllib (not a broken pipe)', async () => {
    assert.equal(await urllib(`${t.url}/v1/op/clip.create_from_area`, t.key, 'length'), '413 payload_too_large');
  });

  it('the same body sent chunked (no Content-Length) gets a readable 413', async () => {
    assert.equal(await urllib(`${t.url}/v1/clip/create_from_area`, t.key, 'chunked'), '413 payload_too_large');
  });

  it('errors answered before the body is read (401 without a credential) are readable too', async () => {
    assert.equal(await urllib(`${t.url}/v1/op/clip.create_from_area`, '-', 'length'), '401 unauthorized');
  });

  it('the connection stays usable after a discarded body (keep-alive), and the server keeps serving', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const post = (body: Buffer): Promise<{ status: number; code: string; socket: unknown }> => new Promise((resolve, reject) => {
      const req = http.request(`${t.url}/v1/op/clip.areas.list`, { method: 'POST', agent, headers: { authorization: `Bearer ${t.key}`, 'content-type': 'application/json', 'content-length': body.length } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => { text += d; });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, code: (JSON.parse(text) as { code?: string }).code ?? 'ok', socket: req.socket }));
      });
      req.on('error', reject);
      req.end(body);
    });
    const big = await post(Buffer.alloc(2 * 1024 * 1024, 0x20));
    const small = await post(Buffer.from('{}'));
    agent.destroy();
    assert.equal(big.status, 413);
    assert.equal(big.code, 'payload_too_large');
    assert.equal(small.status, 200);
    assert.equal(small.socket, big.socket, 'the second request reused the same socket');
  });

  it(`a declared body over the discard cap (${DiscardCapBytes} bytes) is answered at once with Connection: close`, async () => {
    const answer = await new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
      const req = http.request(`${t.url}/v1/op/clip.areas.list`, { method: 'POST', headers: { authorization: `Bearer ${t.key}`, 'content-length': DiscardCapBytes + 1 } }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
      });
      req.on('error', reject);
      req.write('{"pad": "');
    });
    assert.equal(answer.status, 413);
    assert.equal(answer.connection, 'close');
  });
});

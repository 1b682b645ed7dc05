/**
 * Fuzz target: the request body path of every operation, as `runOperation` takes it: raw bytes →
 * `readJsonBody` (1 MiB limit) → the operation's zod schema (`parseInput`) → for spend operations the
 * Idempotency-Key fingerprint and what the create handlers validate before touching storage (the item
 * fields, `parseAoi`, the stored AOI text) → an error's problem document; and the OIDC endpoints' form
 * body (JSON or form-encoded). Input: one byte choosing the operation (or form), then the body.
 */
import { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { readFormBody, readJsonBody } from '../../../src/http/body.read.js';
import { fingerprint } from '../../../src/http/idempotency.js';
import { toProblem } from '../../../src/http/problem.js';
import { parseInput } from '../../../src/operations/input.parse.js';
import { CreateFromItemFields } from '../../../src/operations/op.schemas.js';
import { OperationList } from '../../../src/operations/registry.js';
import { parseAoi } from '../../../src/raster/aoi/aoi.parse.js';
import { check, expectedError, type FuzzTarget } from '../fuzz.target.js';

const MaxBody = 1024 * 1024;

function request(body: Uint8Array, contentType = 'application/json'): IncomingMessage {
  const req = Readable.from(body.length > 0 ? [Buffer.from(body)] : []) as unknown as IncomingMessage;
  req.headers = { 'content-type': contentType, 'content-length': String(body.length) };
  return req;
}

/** The OIDC token and revoke endpoints' body: JSON or form-encoded, as a map of strings. */
async function formInput(json: boolean, bytes: Uint8Array): Promise<void> {
  const form = await readFormBody(request(bytes, json ? 'application/json' : 'application/x-www-form-urlencoded'), MaxBody);
  for (const [k, v] of Object.entries(form)) check(typeof k === 'string' && typeof v === 'string', `form field ${k} is not a string`);
}

async function handlerInput(choice: number, bytes: Uint8Array): Promise<void> {
  const n = OperationList.length;
  if (choice % (n + 2) >= n) return formInput(choice % (n + 2) === n, bytes);
  const op = OperationList[choice % (n + 2)]!;
  const body = await readJsonBody(request(bytes), MaxBody);
  const input = parseInput(op.input, body) as Record<string, unknown>;
  if (op.sideEffect !== 'spend') return;
  fingerprint(op.id, body);
  const fields = op.id === 'clip.create_from_item' ? parseInput(CreateFromItemFields, body) : input;
  const aoi = parseAoi(fields.aoi_geometry, { loc: ['body', 'aoi_geometry'] });
  JSON.stringify(fields.aoi_geometry);
  void aoi;
}

export const BodyTarget: FuzzTarget = {
  name: 'body',
  about: 'operation byte + body bytes → readJsonBody → zod input → idempotency fingerprint, item fields, parseAoi → problem document',
  covers: ['src/http/body.read.ts', 'src/http/problem.ts', 'src/operations/input.parse.ts', 'src/operations/op.schemas.ts', 'src/raster/aoi/aoi.parse.ts'],
  dictionary: 'json.dict',
  maxLength: 16 * 1024,
  maxAllocBytes: 1 << 24,
  run: async (data) => {
    try {
      await handlerInput(data[0] ?? 0, data.subarray(1));
      return 'ok';
    } catch (err) {
      const label = expectedError(err);
      // What the client would get: the problem document must serialise.
      JSON.stringify(toProblem(err, 'req_fuzz').problem);
      return label;
    }
  },
};

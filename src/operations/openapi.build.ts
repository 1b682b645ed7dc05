/**
 * The OpenAPI 3.1 document, built from the registry alone: one path per operation under `/v1/op/<id>`
 * and its resource path, request schemas from the zod inputs, security (Bearer or X-API-Key) with the
 * scope, Idempotency-Key on spend operations, and the problem-details error schemas.
 */
import { z } from 'zod';
import type { OperationDef } from './op.types.js';
import { OperationList, resourcePath } from './registry.js';

const problemSchema = {
  type: 'object',
  description: 'RFC 9457 problem details',
  required: ['title', 'status', 'detail'],
  properties: {
    type: { type: 'string', default: 'about:blank' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string', description: 'Stable snake_case error code' },
    request_id: { type: 'string' },
  },
};

const validationSchema = {
  type: 'object',
  required: ['detail'],
  properties: {
    detail: { type: 'array', items: { $ref: '#/components/schemas/ValidationError' } },
    code: { type: 'string' },
    request_id: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
  },
};

const validationErrorSchema = {
  type: 'object',
  required: ['loc', 'msg', 'type'],
  properties: { loc: { type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'integer' }] } }, msg: { type: 'string' }, type: { type: 'string' } },
};

function problemResponse(description: string): object {
  return { description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
}

function successResponse(op: OperationDef): object {
  const content: Record<string, object> = { 'application/json': { schema: {} } };
  if (op.response === 'list') content['application/x-ndjson'] = { schema: { type: 'string', description: 'One JSON record per line (send Accept: application/x-ndjson)' } };
  if (op.response === 'file') content['image/tiff; application=geotiff; profile=cloud-optimized'] = { schema: { type: 'string', format: 'binary' } };
  return { description: 'Successful Response', content };
}

function operationObject(op: OperationDef, alias: boolean): object {
  const parameters: object[] = [{ name: 'X-API-Key', in: 'header', required: false, schema: { type: 'string' }, description: 'A gpra_ API key (alternative to Authorization: Bearer)' }];
  if (op.sideEffect === 'spend') {
    parameters.push({ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 255 }, description: 'Replays the first response for 24 h; another body with the same key answers 409' });
  }
  const responses: Record<string, object> = {
    200: successResponse(op),
    400: problemResponse('Malformed JSON'),
    401: problemResponse('No or bad credential'),
    403: problemResponse('Missing scope'),
    404: problemResponse('Unknown operation or object'),
    413: problemResponse('Body too large'),
    422: { description: 'Validation Error', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/HTTPValidationError' } } } },
    429: problemResponse('Rate or egress limit'),
    500: problemResponse('Internal Server Error'),
  };
  if (op.sideEffect === 'spend') {
    responses[402] = problemResponse('Insufficient credits');
    responses[409] = problemResponse('Idempotency conflict');
  }
  if (op.id.startsWith('clip.job.')) responses[409] = problemResponse('Job in the wrong state');
  return {
    tags: ['operations'],
    summary: op.summary,
    operationId: alias ? `${op.id}#resource` : op.id,
    security: [{ bearerAuth: [op.scope] }, { apiKeyHeader: [op.scope] }],
    parameters,
    requestBody: { required: false, content: { 'application/json': { schema: z.toJSONSchema(op.input, { io: 'input', unrepresentable: 'any' }) } } },
    responses,
    'x-required-scope': op.scope,
    'x-side-effect': op.sideEffect,
    'x-response-kind': op.response,
    ...(op.extension ? { 'x-geopera-extension': true } : {}),
  };
}

/** Build the document. */
export function buildOpenApi(serverUrl?: string): Record<string, unknown> {
  const paths: Record<string, object> = {};
  for (const op of OperationList) {
    paths[`/v1/op/${op.id}`] = { post: operationObject(op, false) };
    paths[resourcePath(op.id)] = { post: operationObject(op, true) };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'geopera', version: '0.1.0', description: 'Self-hosted imagery clip service: the clip operations of the Geopera API.' },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    paths,
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'A gpra_ API key or an access token from /realms/public/protocol/openid-connect/token' },
        apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      },
      schemas: { Problem: problemSchema, HTTPValidationError: validationSchema, ValidationError: validationErrorSchema },
    },
  };
}

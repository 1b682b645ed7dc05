/** The README's operations table, made from the registry (a test keeps the README in step). */
import { OperationList, resourcePath } from './registry.js';

const Responses: Record<string, string> = {
  object: 'JSON object',
  job: 'JSON `{job, …}`',
  list: 'JSON document, or NDJSON with `Accept: application/x-ndjson`',
  file: 'file bytes (Range), or a signed-link descriptor with `Accept: application/json`',
};

export function operationsTable(): string {
  const rows = OperationList.map((op) => `| \`${op.id}\` | ${op.summary} | \`${op.scope}\` | ${op.sideEffect} | ${Responses[op.response]} | \`${resourcePath(op.id)}\` |`);
  return ['| operation (`POST /v1/op/<id>`) | summary | scope | side effect | answer | resource path |', '|---|---|---|---|---|---|', ...rows].join('\n');
}

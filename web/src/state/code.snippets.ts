/**
 * "Copy as code": the current order as a `curl` command, Python (official SDK), TypeScript (geopera's
 * SDK) and the `geopera` CLI. The credential is always the `GEOPERA_API_TOKEN` environment variable,
 * never the page's own token.
 */

export interface OrderBody {
  area: string;
  mosaic_types: string[];
  aoi_geometry: Record<string, unknown>;
  organization_id: string;
  aoi_name?: string | null;
  project_id?: string | null;
}

export interface Snippets {
  curl: string;
  python: string;
  typescript: string;
  cli: string;
}

/** The body as sent: empty optional fields left out. */
export function orderBody(o: OrderBody): Record<string, unknown> {
  const body: Record<string, unknown> = { area: o.area, mosaic_types: o.mosaic_types, aoi_geometry: o.aoi_geometry, organization_id: o.organization_id };
  if (o.aoi_name) body.aoi_name = o.aoi_name;
  if (o.project_id) body.project_id = o.project_id;
  return body;
}

/** A JSON value as a Python literal (True/False/None). */
export function pythonLiteral(v: unknown, indent = 0): string {
  const pad = ' '.repeat(indent + 4);
  const end = ' '.repeat(indent);
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number' || typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x === 'number')) return `[${v.map((x) => JSON.stringify(x)).join(', ')}]`;
    if (v.every((x) => Array.isArray(x) && x.every((y) => typeof y === 'number'))) return `[${v.map((x) => pythonLiteral(x)).join(', ')}]`;
    return `[\n${v.map((x) => pad + pythonLiteral(x, indent + 4)).join(',\n')},\n${end}]`;
  }
  const entries = Object.entries(v as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, x]) => `${pad}${JSON.stringify(k)}: ${pythonLiteral(x, indent + 4)}`).join(',\n')},\n${end}}`;
}

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** All four, for the server at `baseUrl`. */
export function orderSnippets(baseUrl: string, order: OrderBody): Snippets {
  const body = orderBody(order);
  const json = JSON.stringify(body, null, 2);
  const base = baseUrl.replace(/\/+$/, '');
  const curl = [
    `curl -sS -X POST ${shellQuote(`${base}/v1/op/clip.create_from_area`)} \\`,
    `  -H "Authorization: Bearer $GEOPERA_API_TOKEN" \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  -H "Idempotency-Key: $(cat /proc/sys/kernel/random/uuid)" \\`,
    `  --data-binary @- <<'JSON'`,
    json,
    'JSON',
  ].join('\n');
  const python = [
    '# pip install geopera',
    'import os',
    'from geopera import AuthenticatedClient',
    'from geopera.api.operations import clip_create_from_area',
    'from geopera.models import ClipCreateFromAreaInput',
    '',
    `client = AuthenticatedClient(base_url=${JSON.stringify(base)}, token=os.environ["GEOPERA_API_TOKEN"])`,
    `body = ClipCreateFromAreaInput.from_dict(${pythonLiteral(body)})`,
    'answer = clip_create_from_area.sync(client=client, body=body)',
    'print(answer)',
  ].join('\n');
  const typescript = [
    "import { GeoperaClient } from 'geopera/client';",
    '',
    `const geopera = new GeoperaClient({ token: process.env.GEOPERA_API_TOKEN!, baseUrl: ${JSON.stringify(base)} });`,
    `const { job } = await geopera.clip.create_from_area(${json.replace(/\n/g, '\n')});`,
    'const done = await geopera.clip.job.wait(job.id, { onProgress: (j) => console.log(j.status, j.progress) });',
    'console.log(done.status);',
  ].join('\n');
  const flags = [
    `--area ${shellQuote(order.area)}`,
    ...order.mosaic_types.map((t) => `--mosaic-types ${shellQuote(t)}`),
    `--organization-id ${shellQuote(order.organization_id)}`,
    ...(order.aoi_name ? [`--aoi-name ${shellQuote(order.aoi_name)}`] : []),
    ...(order.project_id ? [`--project-id ${shellQuote(order.project_id)}`] : []),
  ];
  const cli = [
    `export GEOPERA_API_URL=${shellQuote(base)}   # and GEOPERA_API_TOKEN, or: geopera login --api-key …`,
    `geopera clip create-from-area ${flags.join(' ')} --aoi - --wait <<'JSON'`,
    JSON.stringify(order.aoi_geometry),
    'JSON',
  ].join('\n');
  return { curl, python, typescript, cli };
}

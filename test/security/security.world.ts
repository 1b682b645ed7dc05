/** Shared set-up of the security tests: two orgs with finished jobs, and the app's route inventory. */
import type Koa from 'koa';
import { aoiOf, DemoBbox, finalJob } from '../support/fault.tools.js';
import type { TestServer } from '../support/harness.js';

/** Create a small clip for `org` with `key` and wait until it completes; answers its id. */
export async function completedJob(t: TestServer, key: string, org: string, body: Record<string, unknown> = {}): Promise<string> {
  const res = await t.op('clip.create_from_area', { area: 'demo-valley', mosaic_types: ['visual'], organization_id: org, aoi_geometry: aoiOf(DemoBbox, 0.08), ...body }, { key });
  const created = (await res.json()) as { job: { id: string } };
  if (res.status !== 200) throw new Error(`create: ${res.status} ${JSON.stringify(created)}`);
  const job = await finalJob(t.url, key, created.job.id);
  if (job.status !== 'completed') throw new Error(`job ${created.job.id}: ${JSON.stringify(job)}`);
  return created.job.id;
}

/** Every route an app serves, as `METHOD path` (HEAD beside GET left out). */
export function routesOf(app: Koa): string[] {
  const out: string[] = [];
  for (const mw of app.middleware as { router?: { stack: { methods: string[]; path: string }[] } }[]) {
    for (const layer of mw.router?.stack ?? []) {
      for (const m of layer.methods.filter((x) => x !== 'HEAD')) out.push(`${m} ${layer.path}`);
    }
  }
  return out.sort();
}

/** The path and query of a URL the API handed out (its origin is the test server's). */
export function localPart(url: string): string {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
}

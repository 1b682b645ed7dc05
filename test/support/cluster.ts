/**
 * Several real geopera nodes (child processes, started as an operator starts them) on one PostgreSQL
 * database, each with its own GEOPERA_NODE_ID, and one store of files: a prefix of the test bucket when
 * the run has the S3 server (`GEOPERA_TEST_FILES=s3`; each node then has a data directory of its own, for
 * its staging only, as on separate machines), else one data directory all nodes share. And a storage
 * opened beside them to look inside. Only with PostgreSQL (backend.ts).
 */
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateApiKey } from '../../src/auth/api.key.js';
import { createApiKey } from '../../src/auth/key.service.js';
import { Scopes } from '../../src/auth/scopes.js';
import type { Storage } from '../../src/storage/storage.js';
import { freshDatabase, openTestStorage, type TestDatabase } from './backend.js';
import { startChildServer, type ChildServer } from './child.server.js';
import { testFiles, type TestFiles } from './files.js';
import { repoRoot } from './gdal.js';

export interface Cluster {
  /** The shared data directory (local files), or the parent of the nodes' own ones (S3) */
  dataDir: string;
  /** The nodes' files: the shared data directory or the bucket prefix, and how GDAL names them */
  files: TestFiles;
  /** The bootstrap key (org `default`, every scope) */
  key: string;
  /** The running node of each slot (replaced by `restart` and `start`) */
  nodes: (ChildServer | undefined)[];
  /** The node of a slot, which must be running */
  node(i: number): ChildServer;
  /** Node id of a slot */
  nodeId(i: number): string;
  /** The database, opened beside the nodes */
  storage: Storage;
  /** Make an org and a key for it (every scope) */
  makeKey(orgId: string, org?: { egressLimitBytes?: number | null; creditLimitKm2?: number | null }): Promise<string>;
  /** POST an operation to a node; answers the response */
  op(i: number, id: string, body: unknown, opts?: { key?: string | null; headers?: Record<string, string> }): Promise<Response>;
  /** Stop a node: SIGKILL (a crash) or SIGTERM (a graceful stop) */
  stop(i: number, signal: 'SIGKILL' | 'SIGTERM'): Promise<number | null>;
  /** Start a slot's node again, with the same node id */
  start(i: number): Promise<ChildServer>;
  /** Every `msg` the nodes logged (ever, restarts included) with the fields of each line */
  logs(): Record<string, unknown>[];
  close(): Promise<void>;
}

/** Start `n` nodes at once on a new database (they race to migrate and to make the bootstrap key). */
export async function startCluster(n: number, env: Record<string, string> = {}): Promise<Cluster> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'geopera-cluster-'));
  const files = await testFiles(dataDir);
  if (files.kind === 'local') await symlink(path.join(repoRoot, 'data/areas'), path.join(dataDir, 'areas'));
  else await files.link(path.join(repoRoot, 'data/areas'), 'areas');
  const database: TestDatabase = await freshDatabase();
  const key = generateApiKey();
  const nodeId = (i: number): string => `node-${i}`;
  const ownDir = (i: number): string => path.join(dataDir, nodeId(i));
  if (files.kind === 's3') await Promise.all(Array.from({ length: n }, (_, i) => mkdir(ownDir(i))));
  const envOf = (i: number): Record<string, string> => ({
    GEOPERA_DATA_DIR: files.kind === 's3' ? ownDir(i) : dataDir, GEOPERA_BOOTSTRAP_KEY: key, GEOPERA_WORKERS: '1', GEOPERA_TILE_WORKERS: '1', GEOPERA_LOG_LEVEL: 'info',
    GEOPERA_NODE_ID: nodeId(i), GEOPERA_RATE_ORG: '0', GEOPERA_RATE_SPEND: '0', GEOPERA_RATE_ANON: '0', ...files.env, ...database.env, ...env,
  });
  const finished: string[] = [];
  const nodes: (ChildServer | undefined)[] = await Promise.all(Array.from({ length: n }, (_, i) => startChildServer(envOf(i))));
  const storage = await openTestStorage(dataDir, database.env);
  const node = (i: number): ChildServer => {
    const c = nodes[i];
    if (!c) throw new Error(`node ${i} is not running`);
    return c;
  };
  const cluster: Cluster = {
    dataDir, files, key, nodes, node, nodeId, storage,
    async makeKey(orgId, org = {}) {
      if (!(await storage.orgs.get(orgId))) await storage.orgs.create({ id: orgId, ...org });
      return (await createApiKey(storage, { orgId, scopes: Scopes })).key;
    },
    op(i, id, body, opts = {}) {
      const k = opts.key === undefined ? key : opts.key;
      const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json', ...(k ? { 'x-api-key': k } : {}), ...opts.headers };
      return fetch(`${node(i).url}/v1/op/${id}`, { method: 'POST', headers, body: JSON.stringify(body) });
    },
    async stop(i, signal) {
      const c = node(i);
      nodes[i] = undefined;
      c.child.kill(signal);
      const code = await c.exited;
      finished.push(c.output());
      return code;
    },
    async start(i) {
      const c = await startChildServer(envOf(i));
      nodes[i] = c;
      return c;
    },
    logs() {
      const text = [...finished, ...nodes.map((c) => c?.output() ?? '')].join('\n');
      return text.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    },
    async close() {
      await Promise.all(nodes.map(async (c, i) => (c ? cluster.stop(i, 'SIGKILL') : undefined)));
      await storage.close();
      await database.drop();
      await files.cleanup();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return cluster;
}

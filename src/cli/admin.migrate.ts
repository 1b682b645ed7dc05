/**
 * `geopera admin migrate`: move a single node (SQLite + data directory) up to the engines several nodes
 * share. `--to postgres://…` copies every table into PostgreSQL (storage.copy.ts); `--to-storage
 * s3://BUCKET/PREFIX` copies the data directory's files into that bucket prefix: every file under `areas/`
 * and `catalog/`, the STAC assets items point at elsewhere in the data directory, and the outputs of every
 * live completed job the database records (at the same keys, so the rows need no change; files of failed
 * or superseded attempts stay behind). Both are idempotent (run again, they copy what is missing or
 * differs) and verified: tables by row counts and checksums, files by size and the server's checksum
 * (s3.copy.ts), and each job output read back from the bucket against the sha256 its row recorded.
 * Exit 1 when anything differs.
 */
import path from 'node:path';
import { parseStacItem } from '../catalog/stac.items.js';
import { s3StoreSpec, type Config } from '../config.js';
import { AppError } from '../errors/app.error.js';
import { LocalFileStore } from '../files/local.store.js';
import { copyFileToS3, storedSha256, type CopiedFile } from '../files/s3.copy.js';
import { S3FileStore } from '../files/s3.store.js';
import { copyStorage, type TableCopy } from '../storage/storage.copy.js';
import { openStorage, type Storage } from '../storage/storage.js';
import { UsageError } from './usage.error.js';

/** Files copied at once (each large one also goes up in several parts at once). */
const Parallel = 4;
/** Output rows read a page */
const Page = 500;

/** What the copy did for one group of files (`areas`, `catalog`, `assets`, `outputs`). */
export interface FileGroupCopy {
  group: string;
  /** Files in the data directory */
  files: number;
  /** Already in the bucket with the same bytes */
  present: number;
  /** Uploaded (new keys) */
  copied: number;
  /** Uploaded over an object that held other bytes */
  replaced: number;
  bytes_copied: number;
  /** Files whose object matches after the copy (size and checksum; outputs also read back against their recorded sha256) */
  verified: number;
}

export interface FilesReport {
  to: string;
  groups: FileGroupCopy[];
  /** Files under `jobs/` no live completed job records (failed or superseded attempts, leftovers): not copied */
  unrecorded_job_files: number;
  problems: string[];
}

async function inParallel<T>(items: T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

/** Keys of STAC assets that lie in the data directory but outside `areas/` and `catalog/` (those are copied whole). */
async function assetKeys(local: LocalFileStore, items: string[]): Promise<string[]> {
  const keys = new Set<string>();
  for (const key of items.filter((k) => k.endsWith('.json'))) {
    try {
      const item = parseStacItem(Buffer.from((await local.read(key))!).toString('utf8'), path.posix.basename(key, '.json'));
      for (const a of item.assets) if (a.file && !a.file.startsWith('areas/') && !a.file.startsWith('catalog/') && (await local.stat(a.file))) keys.add(a.file);
    } catch {
      // A broken item is copied as it is (its area listing shows the error on the new nodes too).
    }
  }
  return [...keys].sort();
}

/** Copy one group of keys; `recorded` (outputs) maps a key to the sha256 its row holds. */
async function copyGroup(local: LocalFileStore, target: S3FileStore, group: string, keys: string[], problems: string[], recorded?: Map<string, string>): Promise<FileGroupCopy> {
  const g: FileGroupCopy = { group, files: keys.length, present: 0, copied: 0, replaced: 0, bytes_copied: 0, verified: 0 };
  await inParallel(keys, Parallel, async (key) => {
    let c: CopiedFile;
    try {
      c = await copyFileToS3(target, path.join(local.root, key), key);
    } catch (err) {
      problems.push(`${key}: ${err instanceof AppError ? err.message : (err as Error).message}`);
      return;
    }
    g[c.outcome]++;
    if (c.outcome !== 'present') {
      g.bytes_copied += c.size;
      process.stderr.write(`${c.outcome} ${key} (${c.size} bytes)\n`);
    }
    const want = recorded?.get(key);
    if (want !== undefined && c.sha256 !== want) {
      problems.push(`${key}: the file in the data directory does not match the sha256 its job recorded (damaged on disk?)`);
    } else if (!c.verified) {
      problems.push(`${key}: the object in the bucket does not match the file after the copy`);
    } else if (want !== undefined && (await storedSha256(target, key)) !== want) {
      problems.push(`${key}: read back from the bucket, it does not match the sha256 its job recorded`);
    } else {
      g.verified++;
    }
  });
  return g;
}

/** The data directory's files into an S3 bucket prefix; the outputs to copy come from `storage` (the source database). */
export async function copyFiles(dataDir: string, storage: Storage, target: S3FileStore): Promise<FilesReport> {
  const local = new LocalFileStore(dataDir);
  const problems: string[] = [];
  const areas = (await local.list('areas/', Infinity)).map((f) => f.key);
  const catalog = (await local.list('catalog/', Infinity)).map((f) => f.key);
  const assets = await assetKeys(local, catalog.filter((k) => k.startsWith('catalog/items/')));
  const recorded = new Map<string, string>();
  for (let page = await storage.jobs.liveOutputs(Page); page.length > 0; page = await storage.jobs.liveOutputs(Page, page.at(-1))) {
    for (const o of page) recorded.set(o.rel_path, o.sha256);
  }
  const outputs: string[] = [];
  for (const key of recorded.keys()) {
    if (await local.stat(key)) outputs.push(key);
    else problems.push(`${key}: a completed job records this output but it is not in the data directory`);
  }
  const jobFiles = (await local.list('jobs/', Infinity)).filter((f) => !recorded.has(f.key));
  const groups = [
    await copyGroup(local, target, 'areas', areas, problems),
    await copyGroup(local, target, 'catalog', catalog, problems),
    await copyGroup(local, target, 'assets', assets, problems),
    await copyGroup(local, target, 'outputs', outputs, problems, recorded),
  ];
  return { to: target.location, groups, unrecorded_job_files: jobFiles.length, problems };
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** `admin migrate [--to postgres://…] [--to-storage s3://BUCKET/PREFIX]`; exit 1 unless everything matches. */
export async function migrate(config: Config, to: string | undefined, toStorage: string | undefined): Promise<void> {
  if (!to && !toStorage) throw new UsageError('migrate needs --to postgres://… (or GEOPERA_DATABASE_URL) and/or --to-storage s3://BUCKET/PREFIX (or GEOPERA_STORAGE_URL)');
  if (to && !/^postgres(ql)?:\/\//.test(to)) throw new UsageError(`--to must be a postgres:// URL, got "${to}"`);
  let spec;
  try {
    spec = toStorage ? s3StoreSpec(toStorage, config.dataDir) : undefined;
  } catch {
    throw new UsageError(`--to-storage must look like s3://BUCKET/PREFIX, got "${toStorage}"`);
  }
  const source = await openStorage({ dataDir: config.dataDir });
  const report: { from: string; tables?: TableCopy[]; files?: FilesReport } = { from: config.dataDir };
  const failures: string[] = [];
  try {
    if (to) {
      const target = await openStorage({ dataDir: config.dataDir, databaseUrl: to, poolSize: 2 });
      try {
        report.tables = await copyStorage(source, target);
      } finally {
        await target.close();
      }
      const bad = report.tables.filter((t) => !t.same).map((t) => t.table);
      if (bad.length > 0) failures.push(`The copy differs from the source in: ${bad.join(', ')} (were rows added to the PostgreSQL database before?)`);
    }
    if (spec) {
      const target = new S3FileStore(spec);
      try {
        report.files = await copyFiles(config.dataDir, source, target);
      } finally {
        target.client.destroy();
      }
      if (report.files.problems.length > 0) failures.push(`${report.files.problems.length} files differ or could not be copied:\n  ${report.files.problems.join('\n  ')}`);
    }
  } finally {
    await source.close();
  }
  print(report);
  if (failures.length > 0) throw new UsageError(failures.join('\n'));
  const rows = report.tables?.reduce((n, t) => n + t.copied, 0);
  const files = report.files?.groups.reduce((n, g) => n + g.copied + g.replaced, 0);
  const parts = [
    rows !== undefined ? `copied ${rows} rows; every table matches (counts and checksums)` : '',
    files !== undefined ? `copied ${files} files; every file matches in the bucket (sizes and checksums; job outputs read back against their sha256)` : '',
  ].filter(Boolean);
  const start = [to ? 'GEOPERA_DATABASE_URL' : '', toStorage ? 'GEOPERA_STORAGE_URL' : ''].filter(Boolean).join(' and ');
  process.stderr.write(`${parts.join('; ')}. Start the nodes with ${start}.\n`);
}

/**
 * `geopera admin …`: organizations, keys and ledgers, working on the database directly (server running
 * or not; SQLite WAL lets both write, PostgreSQL is shared anyway). `GEOPERA_DATABASE_URL` selects a
 * PostgreSQL database, else `GEOPERA_DATA_DIR` the SQLite file.
 */
import { parseArgs } from 'node:util';
import { createApiKey, toKeyView } from '../auth/key.service.js';
import { parseScopes, Scopes } from '../auth/scopes.js';
import type { Config } from '../config.js';
import { balanceOf } from '../jobs/credits.js';
import { openStorage } from '../storage/storage.js';
import { UsageError } from './usage.error.js';

export { UsageError };

export const AdminUsage = `geopera admin — manage organizations, API keys and ledgers (GEOPERA_DATABASE_URL, else GEOPERA_DATA_DIR, selects the database)

  geopera admin org create <org_id> [--name NAME] [--credits-km2 N] [--egress-bytes N]
  geopera admin org list
  geopera admin org credits <org_id> [--add N] [--note TEXT]   balance and credit ledger; --add grants N km²
  geopera admin org egress <org_id>                           egress ledger and total
  geopera admin key create --org <org_id> --scopes <s1,s2,...> [--name NAME]
  geopera admin key list [--org <org_id>]
  geopera admin key revoke <key_id>
  geopera admin migrate [--to postgres://…] [--to-storage s3://BUCKET/PREFIX]
                                                              copy this data directory's SQLite database into PostgreSQL, and
                                                              its files (areas, catalog, job outputs) into the bucket prefix
                                                              (endpoint and keys from AWS_*); again: copies what is missing or
                                                              differs; verifies counts and checksums (exit 1 if anything differs)

Scopes: ${Scopes.join(', ')}`;

function num(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`${name} must be a non-negative number, got "${text}"`);
  return n;
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export async function runAdmin(args: string[], config: Config): Promise<void> {
  const [group, action, ...rest] = args;
  if (!group || group === '--help' || group === 'help') {
    process.stdout.write(`${AdminUsage}\n`);
    return;
  }
  const { values, positionals } = parseArgs({
    // `migrate` has no action word: its options follow it.
    args: group === 'migrate' ? args.slice(1) : rest,
    allowPositionals: true,
    options: {
      name: { type: 'string' }, 'credits-km2': { type: 'string' }, 'egress-bytes': { type: 'string' }, add: { type: 'string' },
      note: { type: 'string' }, org: { type: 'string' }, scopes: { type: 'string' }, to: { type: 'string' }, 'to-storage': { type: 'string' },
    },
  });
  if (group === 'migrate') {
    // Loaded only for migrate: it brings the S3 client.
    const { migrate } = await import('./admin.migrate.js');
    await migrate(config, values.to ?? config.databaseUrl, values['to-storage'] ?? (config.files.kind === 's3' ? `s3://${config.files.bucket}/${config.files.prefix}` : undefined));
    return;
  }
  const storage = await openStorage({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, poolSize: 2 });
  try {
    if (group === 'org' && action === 'create') {
      const id = positionals[0];
      if (!id || !/^[\w.-]{1,64}$/.test(id)) throw new UsageError('org create needs an org id of letters, digits, "_", "-" or "." (at most 64)');
      if (await storage.orgs.get(id)) throw new UsageError(`Organization "${id}" already exists`);
      print(await storage.orgs.create({ id, name: values.name, creditLimitKm2: num(values['credits-km2'], '--credits-km2') ?? null, egressLimitBytes: num(values['egress-bytes'], '--egress-bytes') ?? null }));
    } else if (group === 'org' && action === 'list') {
      print(await Promise.all((await storage.orgs.list()).map(async (o) => ({ ...o, balance: await balanceOf(storage, o.id) }))));
    } else if (group === 'org' && action === 'credits') {
      const id = positionals[0] ?? '';
      if (!(await storage.orgs.get(id))) throw new UsageError(`Organization "${id}" does not exist`);
      const add = num(values.add, '--add');
      if (add !== undefined) await storage.ledger.grant(id, add, values.note ?? 'admin grant');
      print({ organization_id: id, balance: await balanceOf(storage, id), ledger: await storage.ledger.credits(id) });
    } else if (group === 'org' && action === 'egress') {
      const id = positionals[0] ?? '';
      const org = await storage.orgs.get(id);
      if (!org) throw new UsageError(`Organization "${id}" does not exist`);
      print({ organization_id: id, egress_limit_bytes: org.egress_limit_bytes, egress_used_bytes: await storage.ledger.egressTotal(id), ledger: await storage.ledger.egress(id) });
    } else if (group === 'key' && action === 'create') {
      if (!values.org) throw new UsageError('key create needs --org <org_id>');
      if (!values.scopes) throw new UsageError(`key create needs --scopes (some of: ${Scopes.join(',')})`);
      let scopes;
      try { scopes = parseScopes(values.scopes); } catch (err) { throw new UsageError((err as Error).message); }
      if (!(await storage.orgs.get(values.org))) throw new UsageError(`Organization "${values.org}" does not exist (create it with: geopera admin org create ${values.org})`);
      const { key, view } = await createApiKey(storage, { orgId: values.org, scopes, name: values.name ?? null });
      process.stderr.write(`Created key ${view.id} for org ${view.org_id} with scopes ${view.scopes.join(' ')}. It is shown once; store it now.\n`);
      process.stdout.write(`${key}\n`);
    } else if (group === 'key' && action === 'list') {
      print((await storage.keys.list(values.org)).map(toKeyView));
    } else if (group === 'key' && action === 'revoke') {
      const id = positionals[0] ?? '';
      if (!(await storage.keys.revoke(id))) throw new UsageError(`No live key with id "${id}"`);
      print({ id, revoked: true });
    } else {
      throw new UsageError(`Unknown admin command "${[group, action].filter(Boolean).join(' ')}"\n\n${AdminUsage}`);
    }
  } finally {
    await storage.close();
  }
}

import type { SqlDb } from './sql.js';

/** Small named values the service keeps (e.g. its URL-signing secret, the same on every node). */
export class SettingsStore {
  constructor(private readonly db: SqlDb) {}

  async get(name: string): Promise<string | undefined> {
    return (await this.db.get<{ value: string }>('SELECT value FROM settings WHERE name = ?', [name]))?.value;
  }

  /** The stored value, or `make()` stored now: the first writer wins and every node reads the winner's. */
  async getOrCreate(name: string, make: () => string): Promise<string> {
    await this.db.run('INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING', [name, make()]);
    return (await this.get(name))!;
  }
}

import type { Db } from './db.js';

/** Small named values the server keeps (e.g. its URL-signing secret). */
export class SettingsStore {
  constructor(private readonly db: Db) {}

  get(name: string): string | undefined {
    return (this.db.prepare('SELECT value FROM settings WHERE name = ?').get(name) as { value: string } | undefined)?.value;
  }

  /** The stored value, or `make()` stored now (first writer wins). */
  getOrCreate(name: string, make: () => string): string {
    this.db.prepare('INSERT OR IGNORE INTO settings (name, value) VALUES (?, ?)').run(name, make());
    return this.get(name)!;
  }
}

/**
 * Callers never see the server's layout: messages that name a file (a broken mosaic, a truncated
 * TIFF) show its path relative to the data directory (`areas/x/mosaics/visual.tif`), not
 * `/srv/geopera/data/areas/x/…`. Files are always opened through paths under the data directory
 * (links are followed by the OS, never resolved in messages), so cutting its prefix is enough.
 */
import { realpathSync } from 'node:fs';

/** A function that cuts the data directory's absolute path (as given, and resolved) out of a text. */
export function pathHider(dataDir: string): (text: string) => string {
  const prefixes = new Set([dataDir]);
  try {
    prefixes.add(realpathSync(dataDir));
  } catch {
    // Not there (yet): the path as given is the one files are opened by.
  }
  const cuts = [...prefixes].map((p) => p.replace(/\/+$/, '')).filter((p) => p.length > 0).sort((a, b) => b.length - a.length)
    .map((p) => new RegExp(`${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:/|(?![\\w.-]))`, 'g'));
  return (text) => cuts.reduce((out, re) => out.replace(re, (m) => (m.endsWith('/') ? '' : '.')), text);
}

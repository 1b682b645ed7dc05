/** The files of one area directory and a signature that changes when any of them changes. */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

export interface AreaFiles {
  id: string;
  dir: string;
  /** mosaic type → absolute path of its COG */
  mosaics: Map<string, string>;
  areaJson: string | undefined;
  captureDates: string | undefined;
  /** Changes when any file is added, removed, resized or touched */
  signature: string;
}

const MosaicExt = /\.(tif|tiff)$/i;

async function statSig(file: string): Promise<string | undefined> {
  try {
    const s = await stat(file); // follows symbolic links: a re-pointed link changes the signature
    return `${s.size}:${s.mtimeMs}:${s.ino}`;
  } catch {
    return undefined;
  }
}

/** Area ids: the sub-directories of `areas/` (links included). */
export async function listAreaIds(areasDir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(areasDir, { withFileTypes: true });
  } catch {
    return [];
  }
  const ids: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    if (e.isDirectory() || (e.isSymbolicLink() && (await stat(path.join(areasDir, e.name)).then((s) => s.isDirectory(), () => false)))) ids.push(e.name);
  }
  return ids.sort();
}

export async function readAreaFiles(areasDir: string, id: string): Promise<AreaFiles | undefined> {
  if (!/^[\w.-]+$/.test(id) || id.startsWith('.')) return undefined;
  const dir = path.join(areasDir, id);
  const dirSig = await statSig(dir);
  if (!dirSig) return undefined;
  const mosaics = new Map<string, string>();
  const mosaicDir = path.join(dir, 'mosaics');
  const names = await readdir(mosaicDir).catch(() => [] as string[]);
  const sigs: string[] = [dirSig];
  for (const name of names.sort()) {
    if (!MosaicExt.test(name) || name.startsWith('.')) continue;
    const file = path.join(mosaicDir, name);
    const sig = await statSig(file);
    if (!sig) continue;
    mosaics.set(name.replace(MosaicExt, ''), file);
    sigs.push(`${name}=${sig}`);
  }
  const areaJson = path.join(dir, 'area.json');
  const captureDates = path.join(dir, 'capture_dates.geojson');
  const aSig = await statSig(areaJson);
  const cSig = await statSig(captureDates);
  sigs.push(`a=${aSig ?? '-'}`, `c=${cSig ?? '-'}`);
  return { id, dir, mosaics, areaJson: aSig ? areaJson : undefined, captureDates: cSig ? captureDates : undefined, signature: sigs.join('|') };
}

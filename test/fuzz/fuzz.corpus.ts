/** The committed corpora: `test/fuzz/corpus/<target>/*` (seeds and the inputs of past findings) and dictionaries. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CorpusRoot, type FuzzTarget } from './fuzz.target.js';

/** One corpus file. */
export interface CorpusEntry {
  name: string;
  data: Uint8Array;
}

/** The files of a corpus folder, by name (empty when there is none). */
export function readCorpusDir(dir: string): CorpusEntry[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => !name.startsWith('.') && !name.endsWith('.md'))
    .sort()
    .map((name) => ({ name, data: new Uint8Array(readFileSync(path.join(dir, name))) }));
}

/** The committed corpus of a target. */
export function targetCorpus(target: FuzzTarget): CorpusEntry[] {
  return readCorpusDir(path.join(CorpusRoot, target.name));
}

/** The text of a target's dictionary ('' when it has none). */
export function dictionaryText(target: FuzzTarget): string {
  return target.dictionary ? readFileSync(path.join(CorpusRoot, target.dictionary), 'utf8') : '';
}

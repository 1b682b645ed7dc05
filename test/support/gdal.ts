/**
 * GDAL as the independent oracle for tests: command runners and pixel reads through GDAL's Python bindings.
 * Tests that need GDAL skip with `skipUnlessGdal` when `gdalinfo` is not on the PATH.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GdalPyLib } from './gdal.py.js';

/** Repository root (two levels above this file). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The shared real-world corpus beside the repository, when present. */
export const realFixturesDir = path.resolve(repoRoot, '../shared/fixtures/real');
export const hasRealFixtures = existsSync(realFixturesDir);

/** The Python with GDAL's bindings (Debian's python3-gdal); pyenv's python3 has none. */
export const gdalPython = '/usr/bin/python3';

function probe(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  return r.status === 0;
}

/** True when the GDAL command-line tools are on the PATH. */
export const hasGdal = probe('gdalinfo', ['--version']);
/** True when GDAL's Python bindings (with numpy) are importable. */
export const hasGdalPython = hasGdal && probe(gdalPython, ['-c', 'from osgeo import gdal; import numpy']);

/** `skip` option value for node:test: false when GDAL is present, else the reason. */
export const skipUnlessGdal: false | string = hasGdalPython ? false : 'GDAL (gdalinfo and /usr/bin/python3 with osgeo) is not installed';
/** `skip` option value for tests over the shared real corpus. */
export const skipUnlessRealFixtures: false | string = skipUnlessGdal || (hasRealFixtures ? false : `no corpus at ${realFixturesDir}`);

/** Run a command and return its stdout (throws with stderr on a non-zero exit). */
export function run(cmd: string, args: string[], opts: { input?: string | Buffer; maxBuffer?: number } = {}): string {
  return execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: opts.maxBuffer ?? 256 * 1024 * 1024, input: opts.input, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Run a command and return its stdout as bytes. */
export function runBytes(cmd: string, args: string[], input?: string): Buffer {
  return execFileSync(cmd, args, { maxBuffer: 1024 * 1024 * 1024, input, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** `gdalinfo -json` of a file. */
export function gdalInfo(file: string, extra: string[] = []): GdalInfo {
  return JSON.parse(run('gdalinfo', ['-json', ...extra, file])) as GdalInfo;
}

/** The parts of `gdalinfo -json` tests use. */
export interface GdalInfo {
  size: [number, number];
  geoTransform?: number[];
  coordinateSystem?: { wkt: string };
  metadata?: Record<string, Record<string, string>>;
  bands: {
    band: number;
    type: string;
    noDataValue?: number | string;
    mask?: { flags: string[] };
    overviews?: { size: [number, number] }[];
    colorInterpretation?: string;
    block?: [number, number];
  }[];
}

/** Run Python code with GDAL's bindings; returns stdout as bytes. */
export function gdalPy(code: string, args: string[] = []): Buffer {
  return runBytes(gdalPython, ['-c', code, ...args]);
}

/** One read for `gdalPixels` / `gdalPixelsBatch`. */
export interface GdalRead {
  file: string;
  /** 0 = full resolution, k = overview k */
  level?: number;
  /** [x, y, width, height]; default the whole level */
  window?: [number, number, number, number];
  /** The mask band of band 1 instead of the bands */
  mask?: boolean;
}

/**
 * Pixels as GDAL reads them: every band of a window at a resolution level (0 = full, k = overview k),
 * pixel-interleaved, in the band's native type, little endian. Window defaults to the whole level.
 */
export function gdalPixels(file: string, opts: Omit<GdalRead, 'file'> = {}): Buffer {
  return gdalPixelsBatch([{ file, ...opts }])[0]!;
}

/** Reads as the Python `pixels` function takes them (every field present). */
export function readSpecs(reads: GdalRead[]): (Required<Omit<GdalRead, 'window'>> & { window: GdalRead['window'] | null })[] {
  return reads.map((r) => ({ file: r.file, level: r.level ?? 0, mask: r.mask ?? false, window: r.window ?? null }));
}

/**
 * Several `gdalPixels` reads in one Python process (each start imports numpy and GDAL: about 0.3 s, which
 * the clip sweeps would otherwise pay five times a case). Each answer is its length (8 bytes, little
 * endian) then its bytes.
 */
export function gdalPixelsBatch(reads: GdalRead[]): Buffer[] {
  const code = `${GdalPyLib}
for data in pixels(json.loads(sys.argv[1]))[1]:
    sys.stdout.buffer.write(struct.pack('<Q', len(data)))
    sys.stdout.buffer.write(data)
`;
  const out = gdalPy(code, [JSON.stringify(readSpecs(reads))]);
  const answers: Buffer[] = [];
  for (let at = 0; answers.length < reads.length; ) {
    const length = Number(out.readBigUInt64LE(at));
    answers.push(out.subarray(at + 8, at + 8 + length));
    at += 8 + length;
  }
  return answers;
}

/** Statistics of one band as numpy makes them from GDAL's reads; null when the band has no valid value. */
export type GdalBandStatistics = { minimum: number; maximum: number; mean: number; stddev: number; valid_percent: number } | null;

/**
 * The oracle of a summary's statistics: per band, numpy over the finite values GDAL's mask band of that band
 * calls valid (its internal mask, else its nodata value), at a level (0 = full, k = overview k). GDAL 3.6's
 * own -stats counts masked pixels too, so it is not used.
 */
export function gdalValidStatistics(file: string, level = 0): GdalBandStatistics[] {
  const code = `${GdalPyLib}
print(json.dumps(stats(sys.argv[1], int(sys.argv[2]))[0]))
`;
  return JSON.parse(gdalPy(code, [file, String(level)]).toString()) as GdalBandStatistics[];
}

/** GDAL's COG validator: returns the errors (empty when valid) and warnings. */
export function validateCog(file: string): { errors: string[]; warnings: string[] } {
  const code = `${GdalPyLib}
print(json.dumps(validate(sys.argv[1])[0]))
`;
  return JSON.parse(gdalPy(code, [file]).toString('utf8')) as { errors: string[]; warnings: string[] };
}

/**
 * Prometheus's text format read by an independent parser: the Python reference client's
 * (`prometheus_client.parser`, Debian's python3-prometheus-client). Tests that need it skip with a
 * message when it is not installed.
 */
import { spawnSync } from 'node:child_process';
import { gdalPython } from './gdal.js';

const Parse = `
import json, math, sys
from prometheus_client.parser import text_string_to_metric_families
families, samples = {}, []
for f in text_string_to_metric_families(sys.stdin.read()):
    families[f.name] = f.type
    for s in f.samples:
        samples.append({"family": f.name, "type": f.type, "name": s.name, "labels": s.labels, "value": s.value if math.isfinite(s.value) else str(s.value)})
print(json.dumps({"families": families, "samples": samples}))
`;

/** `false` when the parser is installed, else why the test is skipped. */
export const skipUnlessPromParser: false | string = spawnSync(gdalPython, ['-c', 'import prometheus_client.parser'], { stdio: 'ignore' }).status === 0
  ? false : 'the Prometheus text parser is not installed (apt-get install python3-prometheus-client)';

/** One sample of a scrape. */
export interface Sample {
  /** Metric family (a counter's name without `_total`, a histogram's without `_bucket`…) */
  family: string;
  type: string;
  name: string;
  labels: Record<string, string>;
  /** A number, or `nan`, `inf`, `-inf` */
  value: number | string;
}

/** A scrape as the reference parser reads it: every family's type (those without samples too) and every sample. */
export interface Scrape {
  families: Record<string, string>;
  samples: Sample[];
}

/** Parse a scrape's text (throws when the reference parser refuses it). */
export function parseMetrics(text: string): Scrape {
  const r = spawnSync(gdalPython, ['-c', Parse], { input: text, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`the Prometheus parser refused the text: ${r.stderr}`);
  return JSON.parse(r.stdout) as Scrape;
}

/** The value of the sample with this name whose labels include `labels` (0 when there is none: a counter not yet counted). */
export function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  const s = samples.find((x) => x.name === name && Object.entries(labels).every(([k, v]) => x.labels[k] === v));
  if (typeof s?.value === 'string') throw new Error(`${name} is ${s.value}`);
  return s?.value ?? 0;
}

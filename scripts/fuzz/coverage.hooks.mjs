// Module customization hooks (node:module register) for the fuzzer: every module under the repo's src/
// is instrumented by istanbul after tsx has turned it into JavaScript, so its statement and branch
// counters land in globalThis.__coverage__ of the fuzzing process. Registered by coverage.register.mjs.
import { createInstrumenter } from 'istanbul-lib-instrument';
import { fileURLToPath } from 'node:url';

let srcDir = '';
const instrumenter = createInstrumenter({ esModules: true, compact: true, produceSourceMap: false, coverageVariable: '__coverage__' });

export function initialize(data) {
  srcDir = data.srcDir;
}

export async function load(url, context, nextLoad) {
  const result = await nextLoad(url, context);
  if (result.format !== 'module' || !url.startsWith('file://')) return result;
  const file = fileURLToPath(url);
  if (!file.startsWith(srcDir) || file.includes('/node_modules/')) return result;
  const code = typeof result.source === 'string' ? result.source : Buffer.from(result.source).toString('utf8');
  return { ...result, source: instrumenter.instrumentSync(code, file) };
}

// `node --import tsx --import ./scripts/fuzz/coverage.register.mjs …`: instrument src/ for the fuzzer.
import { register } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
register('./coverage.hooks.mjs', import.meta.url, { data: { srcDir: path.join(root, 'src') + path.sep } });

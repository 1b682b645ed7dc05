#!/usr/bin/env node
// The `geopera` command: runs the built CLI from dist/, or the TypeScript sources through tsx in a checkout.
// Clip workers keep several decodes and encodes in flight on libuv's thread pool (shared by every
// thread of the process): a larger pool keeps tile requests from queueing behind a long clip.
// Set before anything touches the pool (it starts lazily); an operator's own value wins.
process.env.UV_THREADPOOL_SIZE ??= '16';

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = fileURLToPath(new URL('../dist/src/cli/main.js', import.meta.url));
let mod;
if (existsSync(built) && !process.env.GEOPERA_FROM_SOURCE) {
  mod = await import(built);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  mod = await import('../src/cli/main.ts');
}
const code = await mod.main(process.argv.slice(2));
if (code >= 0) process.exitCode = code;

#!/usr/bin/env node
// The `geopera` command: runs the built CLI from dist/, or the TypeScript sources through tsx in a checkout.
// Clip workers keep several decodes and encodes in flight on libuv's thread pool (shared by every
// thread of the process): a larger pool keeps tile requests from queueing behind a long clip.
// Set before anything touches the pool (it starts lazily); an operator's own value wins.
process.env.UV_THREADPOOL_SIZE ??= '16';

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

// glibc's malloc gives each thread that allocates its own arena (up to 8 a core) and keeps what each
// frees for that thread: 16 pool threads decoding and encoding tiles, clip and render threads held a
// 3000 m clip's peak RSS at 311-327 MB; sharing 2 arenas, 270-272 MB at the same speed (npm run bench,
// README). Set before the modules load (the pool reads them), through the codec addon when it is built;
// an operator's own MALLOC_ARENA_MAX wins (glibc read it at start).
const addon = fileURLToPath(new URL('../build/Release/geopera_codecs.node', import.meta.url));
if (!process.env.MALLOC_ARENA_MAX && existsSync(addon)) {
  try {
    createRequire(import.meta.url)(addon).mallocArenaMax?.(2);
  } catch {
    // An addon that does not load: the server says so at start and uses sharp; malloc keeps its default.
  }
}

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

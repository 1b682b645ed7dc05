#!/usr/bin/env node
// npm's install step: builds geopera's codec addon (binding.gyp → build/Release/geopera_codecs.node) with the
// node-gyp that npm carries, against Node's own headers and Debian's libjpeg62-turbo-dev and libdeflate-dev.
// The addon only makes JPEG, PNG and DEFLATE tiles cheaper: when it cannot be built (no compiler, no headers)
// geopera encodes and decodes them with sharp and node:zlib, so the install goes on with a warning instead
// of failing.
// GEOPERA_NATIVE_REQUIRED=1 (CI sets it) turns the warning into a failure.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const candidates = [
  process.env.npm_execpath && path.join(path.dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
].filter(Boolean);
const gyp = candidates.find((file) => existsSync(file));
const required = process.env.GEOPERA_NATIVE_REQUIRED === '1';

function giveUp(why) {
  const text = `geopera: the codec addon was not built (${why}); JPEG, PNG and DEFLATE tiles will go through sharp and node:zlib, more slowly. ` +
    'Install a C compiler and libjpeg62-turbo-dev and libdeflate-dev, then run `npm run build:native`.';
  if (required) {
    console.error(text);
    process.exit(1);
  }
  console.warn(text);
  process.exit(0);
}

if (!gyp) giveUp('node-gyp not found beside npm');
// Build against the headers installed with this Node (never a download): npm's nodedir setting, else
// the prefix this node runs from when it carries include/node.
const prefix = path.dirname(path.dirname(process.execPath));
const nodedir = process.env.npm_config_nodedir || (existsSync(path.join(prefix, 'include', 'node', 'node_api.h')) ? prefix : undefined);
if (!nodedir) giveUp(`no Node headers in ${path.join(prefix, 'include', 'node')}`);
const run = spawnSync(process.execPath, [gyp, 'rebuild', `--nodedir=${nodedir}`], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
if (run.status !== 0) {
  process.stderr.write(run.stdout.slice(-4000) + run.stderr.slice(-4000));
  giveUp(`node-gyp exited with ${run.status ?? run.signal}`);
}
console.log('geopera: codec addon built (build/Release/geopera_codecs.node)');

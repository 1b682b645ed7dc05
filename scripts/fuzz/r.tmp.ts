import { readFileSync } from 'node:fs';
import { beginAllocations, endAllocations, installAllocGuard } from '../../test/fuzz/alloc.guard.js';
installAllocGuard();
const { findTarget } = await import('../../test/fuzz/targets.js');
const t = findTarget(process.argv[2]!);
for (const f of process.argv.slice(3)) {
  beginAllocations(t.maxAllocBytes);
  let label: string;
  try { label = await t.run(new Uint8Array(readFileSync(f))); } catch (e) { label = `THROWN ${String(e)}`; }
  const a = endAllocations();
  console.log(f.split('/').pop(), label, a.largest, a.refused);
}

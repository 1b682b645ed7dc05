/**
 * Invariants under random operation sequences, over the real service (HTTP, SQLite file, clip workers):
 * fast-check model-based runs of creates (with and without Idempotency-Key, same and other bodies),
 * deletes, downloads with random Range / If-Range and client hang-ups, credit grants and restarts on the
 * same data directory. The invariants (invariants.ts) are checked after every command and, with every
 * output hashed, once all jobs have finished. Seeded and reproducible: `PROPS_SEED`, `PROPS_RUNS`
 * (`npm run props` runs 40 sequences), `PROPS_COMMANDS` (longest sequence).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Commands, create, waitFinal } from './props.commands.js';
import { checkInvariants } from './invariants.js';
import { newModel } from './props.model.js';
import { World } from './props.world.js';

const Runs = Number(process.env.PROPS_RUNS ?? 6);
const Seed = Number(process.env.PROPS_SEED ?? 424242);
const MaxCommands = Number(process.env.PROPS_COMMANDS ?? 12);

describe('operation sequences keep the ledgers, jobs and files consistent', { timeout: 600_000 }, () => {
  it(`${Runs} random sequences of up to ${MaxCommands} commands (seed ${Seed})`, async (t) => {
    const seen: Record<string, number> = {};
    const out = await fc.check(
      // Every sequence starts with a create, so the commands after it have a job to act on.
      fc.asyncProperty(fc.tuple(create, fc.array(fc.oneof(...Commands), { minLength: Math.min(5, MaxCommands), maxLength: MaxCommands - 1 })).map(([first, rest]) => [first, ...rest]), async (cmds) => {
        const world = await World.start();
        const model = newModel(seen);
        try {
          const ran: string[] = [];
          try {
            for (const cmd of cmds) {
              if (!cmd.check(model)) continue;
              ran.push(cmd.toString());
              await cmd.run(model, world);
              await checkInvariants(model, world, false);
            }
            ran.push('(all jobs finished)');
            await waitFinal(world, [...model.jobs.keys()]);
            await checkInvariants(model, world, true);
          } catch (err) {
            throw new Error(`after ${ran.join(' → ')}:\n${(err as Error).message}`, { cause: err });
          }
        } finally {
          await world.close();
        }
      }),
      { numRuns: Runs, seed: Seed, endOnFailure: true },
    );
    t.diagnostic(`what the sequences did: ${JSON.stringify(Object.fromEntries(Object.entries(seen).sort()))}`);
    // node:test shows no error cause: put the failing command list and the broken invariant in the message.
    if (out.failed) assert.fail(`${fc.defaultReportMessage(out)}\n\n${(out.errorInstance as Error | undefined)?.message ?? String(out.errorInstance)}`);
  });
});

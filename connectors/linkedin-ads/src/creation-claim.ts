// One find-then-create at a time per vendor object name, across every process sharing revloop's
// store (issue #27): two workers syncing the same new audience at the same moment would both look it
// up, find nothing and both create it — LinkedIn accepts two DMP segments with one name. The claim is
// a plugin_state row inserted with ON CONFLICT DO NOTHING (one statement: only one inserter wins);
// the others wait and then look again. A claim older than CLAIM_TTL_MS (its holder crashed) is taken over.
import { wallClock, type PluginContext } from '@revloop/core';

export const CLAIM_TTL_MS = 60_000;
const WAIT_STEP_MS = 25;

const claimKey = (name: string) => `create-claim:${name}`;

async function tryClaim(ctx: PluginContext<unknown>, key: string): Promise<string | undefined> {
  const now = wallClock.now();
  const value = JSON.stringify({ at: now, by: `${process.pid}:${Math.random().toString(36).slice(2)}` });
  const inserted = await ctx.store.db
    .insertInto('plugin_state')
    .values({ plugin: ctx.name, key, value, updated_at: now })
    .onConflict((oc) => oc.columns(['plugin', 'key']).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0) return value;
  const held = await ctx.store.db.selectFrom('plugin_state').select(['value', 'updated_at']).where('plugin', '=', ctx.name).where('key', '=', key).executeTakeFirst();
  if (!held || now - Number(held.updated_at) < CLAIM_TTL_MS) return undefined;
  // stale: take it over only if nobody else did meanwhile (compare and set on the old value)
  const taken = await ctx.store.db.updateTable('plugin_state').set({ value, updated_at: now }).where('plugin', '=', ctx.name).where('key', '=', key).where('value', '=', held.value).executeTakeFirst();
  return Number(taken.numUpdatedRows ?? 0n) > 0 ? value : undefined;
}

async function release(ctx: PluginContext<unknown>, key: string, value: string): Promise<void> {
  await ctx.store.db.deleteFrom('plugin_state').where('plugin', '=', ctx.name).where('key', '=', key).where('value', '=', value).execute();
}

/**
 * Runs `findOrCreate` holding the claim on `name`; `fn` must look the object up before creating it
 * (the previous holder may just have created it). Waits in wall-clock time: the other holder is
 * another process or another runtime, not the simulated clock.
 */
export async function withCreationClaim<T>(ctx: PluginContext<unknown>, name: string, findOrCreate: () => Promise<T>): Promise<T> {
  const key = claimKey(name);
  for (;;) {
    const value = await tryClaim(ctx, key);
    if (value) {
      try {
        return await findOrCreate();
      } finally {
        await release(ctx, key, value);
      }
    }
    await wallClock.sleep(WAIT_STEP_MS);
  }
}

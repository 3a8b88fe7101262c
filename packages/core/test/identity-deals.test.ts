// One deal kept in two CRMs is one deal in the outcomes (#24): whichever CRM's copy is synced
// first, however late the other arrives, and whichever copy is closed-won.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { UnifiedRecord } from '@revloop/store';
import { createRuntime, defineModel, learnFromOutcomes, parseConfig, resolveIdentities, SimulatedClock, type Runtime } from '../src/index.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);
let dir: string;
let runtime: Runtime;
afterEach(async () => {
  await runtime?.close();
  rmSync(dir, { recursive: true, force: true });
});

// a workflow needs a model; learning from outcomes never calls it here
const intent = defineModel({
  name: 'intent-only',
  version: '1.0.0',
  config: z.object({}).strict(),
  capabilities: [{ capability: 'classify', task: 'intent', quality: 0.5, costMicros: 0, invoke: async () => ({ output: { label: 'low', score: 0 } }) }] as never,
});

async function open(clock: SimulatedClock): Promise<Runtime> {
  dir = mkdtempSync(join(tmpdir(), 'revloop-deals-'));
  const loaded = parseConfig({ store: { kind: 'sqlite', path: join(dir, 'r.db') }, log: { level: 'silent' }, models: { m: { plugin: intent } }, workflows: { w: { steps: [{ name: 'intent', capability: 'classify', task: 'intent' }] } } }, { baseDir: dir, env: {} });
  runtime = await createRuntime(loaded, { clock });
  await runtime.store.migrate();
  return runtime;
}

const deal = (systemId: string, account: string, name: string, at: number, won = false): UnifiedRecord => ({
  systemId,
  fields: { name, stage: won ? 'closed_won' : 'proposal', amount_micros: 50_000e6, is_closed: won ? 1 : 0, is_won: won ? 1 : 0 },
  links: { account },
  createdAt: at,
  updatedAt: at,
});

async function sync(system: string, entityType: 'account' | 'opportunity', records: UnifiedRecord[], at: number): Promise<void> {
  await runtime.store.applyBatch({ system, entityType, records, syncedAt: at });
}

const outcomes = async () => (await runtime.store.db.selectFrom('outcomes').select(['kind', 'account_id', 'value_micros']).orderBy('kind').execute()).map((o) => `${o.kind} ${o.account_id} ${o.value_micros ?? ''}`.trim());

describe('a deal mirrored in two CRMs counts once in the outcomes', () => {
  it('the second CRM\'s copy arrives later (its row id sorts first), then one copy is won, then the other', async () => {
    const clock = new SimulatedClock(T0);
    await open(clock);
    await sync('salesforce', 'account', [{ systemId: 's1', fields: { name: 'Acme', domain: 'acme.com' } }], T0);
    await sync('hubspot', 'account', [{ systemId: 'h1', fields: { name: 'Acme Inc', domain: 'https://www.acme.com' } }], T0);
    await resolveIdentities(runtime.store, { now: T0 });
    const acme = (await runtime.store.db.selectFrom('accounts').select('resolved_id').where('id', '=', 'acct_salesforce_s1').executeTakeFirstOrThrow()).resolved_id!;

    // day 1: Salesforce's deal alone
    await sync('salesforce', 'opportunity', [deal('o1', 's1', 'Acme expansion', T0 + DAY)], T0 + DAY);
    clock.set(T0 + DAY);
    expect((await learnFromOutcomes(runtime, 'w')).newOutcomes).toBe(1);
    // day 2: HubSpot's mirror of it (opp_hubspot_… sorts before opp_salesforce_…)
    await sync('hubspot', 'opportunity', [deal('d9', 'h1', ' ACME Expansion', T0 + 2 * DAY)], T0 + 2 * DAY);
    clock.set(T0 + 2 * DAY);
    expect((await learnFromOutcomes(runtime, 'w')).newOutcomes).toBe(0);
    // day 3: won in HubSpot (Salesforce's copy still open): the deal is won, once
    await sync('hubspot', 'opportunity', [deal('d9', 'h1', ' ACME Expansion', T0 + 3 * DAY, true)], T0 + 3 * DAY);
    clock.set(T0 + 3 * DAY);
    expect((await learnFromOutcomes(runtime, 'w')).newOutcomes).toBe(1);
    // day 4: Salesforce catches up
    await sync('salesforce', 'opportunity', [deal('o1', 's1', 'Acme expansion', T0 + 4 * DAY, true)], T0 + 4 * DAY);
    clock.set(T0 + 4 * DAY);
    expect((await learnFromOutcomes(runtime, 'w')).newOutcomes).toBe(0);
    expect(await outcomes()).toEqual([`closed_won ${acme} 50000000000`, `opportunity_created ${acme}`]);
    // both recorded under the copy seen first
    expect(new Set((await runtime.store.db.selectFrom('outcomes').select('opportunity_id').execute()).map((o) => o.opportunity_id))).toEqual(new Set(['opp_salesforce_o1']));
  });

  it('two deals of one account under different names are two deals', async () => {
    const clock = new SimulatedClock(T0 + DAY);
    await open(clock);
    await sync('salesforce', 'account', [{ systemId: 's1', fields: { name: 'Acme', domain: 'acme.com' } }], T0);
    await resolveIdentities(runtime.store, { now: T0 });
    await sync('salesforce', 'opportunity', [deal('o1', 's1', 'Acme expansion', T0), deal('o2', 's1', 'Acme renewal', T0)], T0);
    expect((await learnFromOutcomes(runtime, 'w')).newOutcomes).toBe(2);
  });
});

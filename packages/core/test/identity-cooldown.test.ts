// Decisions made before a merge count after it (#24): the cooldown and "recently treated" of a
// resolved account see the decisions made for each of its rows while they were apart.
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore, type Store, type UnifiedRecord } from '@revloop/store';
import { accountsToDecide, buildFeatures, resolveIdentities, resolvedIdsOf, workflowSchema } from '../src/index.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);
let store: Store;
afterEach(async () => store?.close());

const workflow = workflowSchema.parse({ cooldownDays: 7, steps: [{ name: 'gate', gate: 'approval' }] });
const account = (systemId: string, domain: string): UnifiedRecord => ({ systemId, fields: { name: `Co ${systemId}`, domain } });
const signal = (systemId: string, accountId: string, at: number): UnifiedRecord => ({ systemId, fields: { type: 'page_view', occurred_at: at }, links: { account: accountId } });

async function rowId(system: string, systemId: string): Promise<string> {
  return (await store.resolveId(system, 'account', systemId))!;
}

/** an executed decision of workflow "w" for a row, as the engine records its end */
async function decided(accountId: string, at: number, channel: string): Promise<void> {
  const id = `dec_${accountId}_${at}`;
  await store.db
    .insertInto('decisions')
    .values({ id, workflow: 'w', step: 'execute', account_id: accountId, contact_id: null, capability: null, decision_class: null, model: null, model_version: null, input_hash: null, features: null, output: JSON.stringify({ channel }), cost_micros: 0, latency_ms: null, approval_state: 'not_required', execution: null, status: 'executed', idempotency_key: id, created_at: at, updated_at: at })
    .execute();
}

/**
 * Acme in HubSpot (acme.com) and in Salesforce (acme.io at first): two entities, each decided
 * (HubSpot's 20 days ago, Salesforce's 2 days before the merge); then Salesforce adds acme.com and
 * they are one entity, and a new signal arrives.
 */
async function decidedApartThenMerged(): Promise<{ entity: string; rows: string[] }> {
  store = openSqliteStore({ path: ':memory:' });
  await store.migrate();
  await store.applyBatch({ system: 'hubspot', entityType: 'account', records: [account('h1', 'acme.com')], syncedAt: T0 - 30 * DAY });
  await store.applyBatch({ system: 'salesforce', entityType: 'account', records: [account('s1', 'acme.io')], syncedAt: T0 - 30 * DAY });
  await resolveIdentities(store, { now: T0 - 30 * DAY });
  const rows = [await rowId('hubspot', 'h1'), await rowId('salesforce', 's1')];
  const before = await resolvedIdsOf(store, 'account', rows);
  expect(before.get(rows[0]!)).not.toBe(before.get(rows[1]!));
  await decided(rows[0]!, T0 - 20 * DAY, 'email');
  await decided(rows[1]!, T0 - 2 * DAY, 'linkedin');

  await store.applyBatch({ system: 'salesforce', entityType: 'account', records: [{ ...account('s1', 'acme.com'), attributes: { additional_domains: 'acme.io' } }], syncedAt: T0 - DAY });
  await resolveIdentities(store, { now: T0 - DAY });
  const after = await resolvedIdsOf(store, 'account', rows);
  expect(after.get(rows[0]!)).toBe(after.get(rows[1]!));
  await store.applyBatch({ system: 'hubspot', entityType: 'signal', records: [signal('sig1', 'h1', T0 - DAY / 2)], syncedAt: T0 });
  return { entity: after.get(rows[0]!)!, rows };
}

describe('decisions made before a merge count after it', () => {
  it('the next run respects the cooldown of a decision made for the row that merged in', async () => {
    const { entity, rows } = await decidedApartThenMerged();
    // the decision inside the cooldown was made for one row; whichever row's id the entity kept,
    // the merged account is not decided again before 7 days have passed since it
    expect(rows).toContain(entity);
    expect(await accountsToDecide(store, 'w', workflow, T0)).toEqual([]);
    // after the cooldown it is decided, once, under the entity's id
    const later = await accountsToDecide(store, 'w', workflow, T0 + 5 * DAY + 1);
    expect(later.map((t) => t.accountId)).toEqual([entity]);
  });

  it('"recently treated" counts the treatments of every row of the entity', async () => {
    const { entity } = await decidedApartThenMerged();
    const features = (await buildFeatures(store, [entity], T0, 30, 'w')).get(entity)!;
    expect(features.recentTreatments).toMatchObject({ email: 1, linkedin: 1 });
    expect(features.daysSinceLastTreatment).toBeCloseTo(2, 5);
  });
});

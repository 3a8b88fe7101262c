// The closed loop through the vendor connectors: each simulated day the sandbox's HubSpot,
// Salesforce, LinkedIn Ads and Google Ads emulators follow the market, revloop syncs them with the
// real connectors, decides, and executes through the connectors' actions, which the emulators
// turn into market treatments. Checked against the vendor side and the market's own tally.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { accountsToDecide, defaultExecutor } from '@revloop/core';
import { identityTruth, loadScenario, smallScenarioPath } from '@revloop/sandbox';
import { defaultModels, SANDBOX_HUBSPOT_PERSONAS, startClosedLoop, VENDOR_STREAMS, type ClosedLoopSession, type DayRecord } from '@revloop/evaluation';

const DAYS = 3;
let dir: string;
let loop: ClosedLoopSession;
const days: DayRecord[] = [];
/** executed decisions per channel, from the decisions table, per day */
const executedPerDay: Record<string, number>[] = [];
/** the market's treatment tally before/after each day */
const tallies: Record<string, number>[] = [];

const tally = () => ({ ...loop.source.market.stats().treatments }) as Record<string, number>;
const db = () => loop.runtime.store.db;

/** executed decisions made during one day's step: after the clock's time before it, up to its time after */
async function executedByChannel(after: number, upTo: number): Promise<Record<string, number>> {
  const rows = await db().selectFrom('decisions').select(['output']).where('status', '=', 'executed').where('created_at', '>', after).where('created_at', '<=', upTo).execute();
  const out: Record<string, number> = {};
  for (const r of rows) {
    const channel = (JSON.parse(r.output!) as { channel: string }).channel;
    out[channel] = (out[channel] ?? 0) + 1;
  }
  return out;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'revloop-loop-connectors-'));
  // the ad platforms match hashed addresses exactly: a plus alias or a personal address in a CRM (the
  // sandbox's identity noise) would reach no one there, and this test counts every execution as a treatment
  const scenario = loadScenario({ ...JSON.parse(readFileSync(fileURLToPath(smallScenarioPath), 'utf8')), identityNoise: { plusAlias: 0, personalEmail: 0 } });
  loop = await startClosedLoop({ scenario, dir, via: 'connectors', actionsPerDay: 10, models: defaultModels(scenario), reviewer: 'approve' });
  tallies.push(tally());
  for (let d = 0; d < DAYS; d++) {
    const before = loop.clock.now();
    days.push(await loop.step());
    // the day's decisions carry the day's start; waiting on vendor jobs may move the clock a little after it
    executedPerDay.push(await executedByChannel(before, loop.clock.now()));
    tallies.push(tally());
  }
}, 180_000);

afterAll(async () => {
  await loop?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('closed loop via the vendor connectors', () => {
  it('syncs every planned stream through its connector, without failures', async () => {
    for (const d of days) expect(d.ingest.failures).toEqual([]);
    const runs = await db().selectFrom('sync_runs').select(['connector', 'stream', 'status']).execute();
    for (const [connector, streams] of Object.entries(VENDOR_STREAMS)) {
      for (const stream of streams) {
        const mine = runs.filter((r) => r.connector === connector && r.stream === stream);
        expect(mine, `${connector}/${stream}`).toHaveLength(DAYS);
        expect(mine.every((r) => r.status === 'succeeded'), `${connector}/${stream}`).toBe(true);
      }
    }
  });

  it('rows arrived through the connectors: the identity map holds each system', async () => {
    const ids = await db().selectFrom('external_ids').select((eb) => ['system', 'entity_type', eb.fn.countAll<number>().as('n')]).groupBy(['system', 'entity_type']).execute();
    const n = (system: string, type: string) => Number(ids.find((r) => r.system === system && r.entity_type === type)?.n ?? 0);
    // small.json: 200 companies; HubSpot also holds the sandbox's duplicate company records (identity noise)
    const companies = identityTruth(loop.source.sandbox!).records.filter((r) => r.system === 'hubspot' && r.entityType === 'account');
    expect(new Set(companies.map((r) => r.entityId)).size).toBe(200);
    expect(n('hubspot', 'account')).toBe(companies.length);
    expect(n('hubspot', 'contact')).toBeGreaterThan(200);
    expect(n('hubspot', 'signal')).toBeGreaterThan(0);
    expect(n('linkedin', 'campaign')).toBeGreaterThan(0);
    expect(n('linkedin', 'touchpoint')).toBeGreaterThan(0);
    expect(n('google', 'campaign')).toBeGreaterThan(0);
    expect(n('google', 'touchpoint')).toBeGreaterThan(0);
    // no market-side ids: nothing bypassed the vendors
    expect(ids.filter((r) => r.system === 'market')).toEqual([]);
  });

  it('the synced rows carry what the workflow features read', async () => {
    // the features read the resolved entities: each CRM fills what it has (HubSpot the persona and size)
    const accounts = await db().selectFrom('resolved_accounts').select(['industry', 'size', 'systems']).execute();
    expect(accounts.length).toBeGreaterThan(0);
    expect(accounts.every((a) => a.industry && ['smb', 'mid', 'enterprise'].includes(a.size!))).toBe(true);
    expect(accounts.filter((a) => JSON.parse(a.systems).length === 2).length).toBeGreaterThan(accounts.length * 0.9);
    const contacts = await db().selectFrom('resolved_contacts').select(['email', 'persona', 'account_id', 'systems']).execute();
    const personas = new Set(Object.values(SANDBOX_HUBSPOT_PERSONAS));
    // every person HubSpot knows has its persona; the few only Salesforce knows (a personal address) have none
    const known = contacts.filter((c) => JSON.parse(c.systems).includes('hubspot'));
    expect(known.length).toBeGreaterThan(contacts.length * 0.95);
    expect(known.every((c) => c.email && personas.has(c.persona!) && c.account_id)).toBe(true);
    const signals = await db().selectFrom('signals').select(['type', 'topic', 'account_id']).execute();
    expect(signals.length).toBeGreaterThan(0);
    expect(signals.filter((s) => s.topic).length).toBeGreaterThan(signals.length / 2);
    expect(signals.every((s) => s.account_id)).toBe(true);
    const opps = await db().selectFrom('opportunities').select(['amount_micros', 'is_closed']).execute();
    for (const o of opps) expect([o.amount_micros === null, o.is_closed]).toEqual([false, expect.any(Number)]);
  });

  it('decisions executed through connector actions, each with an idempotency record', async () => {
    const executed = days.reduce((a, d) => a + d.decisions.executed, 0);
    expect(executed).toBeGreaterThan(0);
    expect(days.reduce((a, d) => a + d.decisions.failed, 0)).toBe(0);
    const decisions = await db().selectFrom('decisions').select(['output', 'execution']).where('status', '=', 'executed').execute();
    expect(decisions).toHaveLength(executed);
    for (const d of decisions) {
      const planned = JSON.parse(d.output!) as { connector: string; action: string };
      expect(['hubspot', 'linkedin', 'google']).toContain(planned.connector);
      expect(JSON.parse(d.execution!)[planned.connector]).toMatchObject({ ok: true, replayed: false });
    }
    const records = await db().selectFrom('plugin_state').select(['plugin', 'key']).where('key', 'like', 'action:%').execute();
    expect(records).toHaveLength(executed);
  });

  it("the market's treatment tally grew by exactly the executed decisions, per channel, every day", () => {
    for (let d = 0; d < DAYS; d++) {
      const grown: Record<string, number> = {};
      for (const [channel, count] of Object.entries(tallies[d + 1]!)) if (count - (tallies[d]![channel] ?? 0)) grown[channel] = count - (tallies[d]![channel] ?? 0);
      expect(grown, `day ${d}`).toEqual(executedPerDay[d]);
      expect(days[d]!.byChannel, `day ${d}`).toEqual(executedPerDay[d]);
    }
  });

  it("re-running the last day's execution writes nothing twice", async () => {
    const before = tally();
    const sandbox = loop.source.sandbox!;
    const vendorSide = () => ({
      tasks: sandbox.hubspot!.state.stores.tasks.size,
      segments: sandbox.linkedin!.state.segments.size,
      lists: sandbox.googleAds!.state.userLists.size,
    });
    const vendorBefore = vendorSide();
    const stateRows = async () => Number((await db().selectFrom('plugin_state').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const rowsBefore = await stateRows();
    // the day's run: its decisions carry the time it ran (waiting on vendor jobs may have moved
    // the clock a little since, and a later run may decide the accounts it deferred)
    const ranAt = Number((await db().selectFrom('decisions').select((eb) => eb.fn.max('created_at').as('t')).where('status', '=', 'executed').executeTakeFirstOrThrow()).t);
    // the same day's workflow again at that time: every trigger was decided, nothing to decide
    const workflow = loop.runtime.loaded.config.workflows.default as Parameters<typeof accountsToDecide>[2];
    expect(await accountsToDecide(loop.runtime.store, 'default', workflow, ranAt)).toEqual([]);
    // the same planned executions again through the action runner: all replayed
    const last = await db().selectFrom('decisions').select(['output']).where('status', '=', 'executed').where('created_at', '=', ranAt).execute();
    expect(last.length).toBeGreaterThan(0);
    const exec = defaultExecutor(loop.runtime);
    for (const d of last) {
      const p = JSON.parse(d.output!) as { connector: string; action: string; input: unknown };
      expect(await exec(p.connector, p.action, p.input)).toMatchObject({ ok: true, replayed: true });
    }
    expect(tally()).toEqual(before);
    expect(vendorSide()).toEqual(vendorBefore);
    expect(await stateRows()).toBe(rowsBefore);
  });
});

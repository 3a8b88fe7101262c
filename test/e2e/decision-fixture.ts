// A decision log made by the real engine (runWorkflow over a SQLite file, small inline models, a
// recording executor) with one account decision of each kind, for the decision-view and the CLI
// tests:
//   A1 fintech, demo visit    → executed (crm.enroll), then an opportunity won: outcomes joined
//   A2 healthcare, pricing    → waits for approval (class regulated-industry, policy "regulated")
//   A3 fintech, page view     → low intent: no action
//   A4 retail, demo visit     → class "offer", its execution failed at the vendor
//   A5 healthcare, demo visit → waits for approval
// Every message's first draft makes a banned claim; the brand check sends it back once, so the
// decisions that got that far have message, brand, message#1 and brand#1 rows.
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { z } from 'zod';
import { createRuntime, defineAction, defineConnector, defineModel, learnFromOutcomes, parseConfig, runWorkflow, SimulatedClock, CONTRACT_VERSION, type Executor, type RevloopConfigInput, type Runtime } from '@revloop/core';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const SUBJECT = 'Cut your security review to a week';
export const FIRST_BODY = 'Guaranteed results for every team.';
export const FINAL_BODY = 'Teams like yours cut review time by half; results vary.';
export const INTENT_VERSION = 'intent-2024.05';
/** why A4's execution failed during the run */
export const RUN_ERROR = 'crm answered 409: the contact is unsubscribed';
/** why every write of the CLI's failing connector fails */
export const VENDOR_ERROR = 'crm answered 503: enrollment service unavailable';

const models = defineModel({
  name: 'fixture-models',
  version: '1.0.0',
  config: z.object({}).strict(),
  capabilities: [
    {
      capability: 'classify', task: 'intent', quality: 0.5, costMicros: 0,
      async invoke(_ctx: unknown, input: { features: { counts: Record<string, number> } }) {
        const hot = input.features.counts.demo_visit + input.features.counts.pricing_visit > 0;
        return { output: { label: hot ? 'high' : 'low', score: hot ? 0.9 : 0.1 }, modelVersion: INTENT_VERSION };
      },
    },
    { capability: 'predict', task: 'content', quality: 0.5, costMicros: 0, async invoke() { return { output: { topic: 'security', variant: 'a' } }; } },
    {
      capability: 'generate', task: 'message', quality: 0.5, costMicros: 1000,
      async invoke(_ctx: unknown, input: { attempt: number; features: { industry: string | null } }) {
        return { output: { subject: SUBJECT, body: input.attempt === 0 ? FIRST_BODY : FINAL_BODY, offer: input.features.industry === 'retail' }, costMicros: 1000 };
      },
    },
    {
      capability: 'evaluate', task: 'brand', quality: 0.9, costMicros: 0,
      async invoke(_ctx: unknown, input: { message: { body: string } }) {
        const bad = /guaranteed/i.test(input.message.body);
        return { output: { pass: !bad, reasons: bad ? ['banned claim: guaranteed'] : [] } };
      },
    },
    { capability: 'predict', task: 'channel-time', quality: 0.5, costMicros: 0, async invoke() { return { output: { channel: 'email', sendHour: 14, expectedReward: 0.1 } }; } },
  ] as never,
});

const crm = defineConnector({
  name: 'crm', version: '1.0.0', config: z.object({}).strict(), async check() { return { ok: true, message: 'ok' }; }, streams: [],
  actions: [defineAction({ name: 'enroll', input: z.record(z.string(), z.unknown()), idempotencyKey: (i: Record<string, unknown>) => String(i.key), async run() { return { enrollment: 'enr_1' }; } })],
});

export const approvalPolicies = { policies: [{ name: 'regulated', decisionClasses: ['regulated-industry'], expiresAfterHours: 48 }], regulatedIndustries: ['healthcare'] };

export const executeInput = { key: '{{decisionKey}}', email: '{{contact.email}}', contactId: '{{contact.ids.crm}}', subject: '{{message.subject}}', body: '{{message.body}}', hour: '{{sendHour}}' };

function config(dbPath: string): RevloopConfigInput {
  return {
    store: { kind: 'sqlite', path: dbPath },
    log: { level: 'silent' },
    connectors: { crm: { plugin: crm } },
    models: { m: { plugin: models } },
    approvals: approvalPolicies,
    workflows: {
      default: {
        steps: [
          { name: 'intent', capability: 'classify', task: 'intent', stopWhen: { label: 'low' } },
          { name: 'content', capability: 'predict', task: 'content' },
          { name: 'message', capability: 'generate', task: 'message' },
          { name: 'brand', capability: 'evaluate', task: 'brand', retryStep: 'message' },
          { name: 'channel', capability: 'predict', task: 'channel-time' },
          { name: 'approval', gate: 'approval' },
          { name: 'execute', execute: { email: { action: 'crm.enroll', input: executeInput } } },
        ],
      },
    },
  };
}

export interface DecisionFixture {
  runtime: Runtime;
  /** when the decisions were made (two hours before the wall clock, on the hour) */
  at: number;
  /** account suffix (A1…A5) → the account decision's id (no step suffix) */
  decisions: Record<string, string>;
  /** account suffix → approval id, for the ones waiting */
  approvals: Record<string, string>;
}

/** Builds the log in `dir`/r.db; the runtime is left open (close it before a CLI child uses the file). */
export async function buildDecisionLog(dir: string): Promise<DecisionFixture> {
  // the CLI reads the wall clock: pending approvals must not have expired by then
  const at = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR;
  const clock = new SimulatedClock(at);
  const runtime = await createRuntime(parseConfig(config(join(dir, 'r.db')), { env: {} }), { clock });
  await runtime.store.migrate();
  const industries: Record<string, string> = { A1: 'fintech', A2: 'healthcare', A3: 'fintech', A4: 'retail', A5: 'healthcare' };
  const visits: Record<string, string> = { A1: 'demo_visit', A2: 'pricing_visit', A3: 'page_view', A4: 'demo_visit', A5: 'demo_visit' };
  await runtime.store.applyBatch({ system: 'crm', entityType: 'account', records: Object.entries(industries).map(([id, industry]) => ({ systemId: id, fields: { name: `Account ${id}`, industry } })), syncedAt: at });
  await runtime.store.applyBatch({ system: 'crm', entityType: 'contact', records: Object.keys(industries).map((a) => ({ systemId: `C${a}`, fields: { email: `${a.toLowerCase()}@x.test`, persona: 'champion', first_name: 'Pat', last_name: a }, links: { account: a } })), syncedAt: at });
  await runtime.store.applyBatch({ system: 'crm', entityType: 'signal', syncedAt: at, records: Object.entries(visits).map(([a, type]) => ({ systemId: `s${a}`, fields: { type, occurred_at: at - DAY }, links: { account: a } })) });

  const executor: Executor = async (_connector, _action, input) => {
    if ((input as { email: string }).email === 'a4@x.test') throw new Error(RUN_ERROR);
    return { ok: true, result: { enrollment: 'enr_1' } };
  };
  await runWorkflow(runtime, 'default', { executor });

  // A1's opportunity: created an hour after the decision, won the hour after
  clock.set(at + 3 * HOUR);
  await runtime.store.applyBatch({ system: 'crm', entityType: 'opportunity', syncedAt: at + 3 * HOUR, records: [{ systemId: 'O1', fields: { name: 'Deal', amount_micros: 50_000_000_000, is_closed: 1, is_won: 1 }, links: { account: 'A1' }, createdAt: at + HOUR, updatedAt: at + 2 * HOUR }] });
  await learnFromOutcomes(runtime, 'default');

  const ends = await runtime.store.db.selectFrom('decisions').select(['id', 'account_id']).where('status', '<>', 'decided').execute();
  const decisions = Object.fromEntries(ends.map((e) => [e.account_id!.slice(-2), e.id.split(':')[0]!]));
  const pending = await runtime.store.db.selectFrom('approvals').innerJoin('decisions', 'decisions.id', 'approvals.decision_id').select(['approvals.id', 'decisions.account_id']).execute();
  const approvals = Object.fromEntries(pending.map((p) => [p.account_id!.slice(-2), p.id]));
  return { runtime, at, decisions, approvals };
}

/**
 * A connector module for a CLI config ("./crm.cjs"): the same crm.enroll, whose vendor refuses
 * every write. It loads from a temp folder, so it requires zod by its path in this repository.
 */
export function writeFailingConnector(dir: string): void {
  const zod = createRequire(resolve(import.meta.dirname, '../../packages/core/package.json')).resolve('zod');
  writeFileSync(
    join(dir, 'crm.cjs'),
    `const { z } = require(${JSON.stringify(zod)});
module.exports = {
  kind: 'connector', contractVersion: ${JSON.stringify(CONTRACT_VERSION)}, name: 'crm', version: '1.0.0',
  config: z.object({}).strict(),
  async check() { return { ok: true, message: 'ok' }; },
  streams: [],
  actions: [{ name: 'enroll', input: z.record(z.string(), z.unknown()), idempotencyKey: (i) => String(i.key), async run() { throw new Error(${JSON.stringify(VENDOR_ERROR)}); } }],
};
`,
  );
}

// Workflow validation at config load: an execute target's action must exist on an enabled
// connector, and every {{placeholder}} of its input must be one the engine fills — refused with
// the config path of the field, the bad placeholder and the allowed ones (exit 2, nothing written).
// The last test runs the engine with every allowed placeholder: the list cannot drift from plan().
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import {
  createRuntime, defineAction, defineConnector, defineModel, loadRegistry, parseConfig, runWorkflow, validateWorkflows,
  RevloopError, SimulatedClock, type Executor, type RevloopConfigInput,
} from '../src/index.js';
import { contextPaths } from '../src/workflow/template-check.js';

const models = defineModel({
  name: 'test-models',
  version: '1.0.0',
  config: z.object({}).strict(),
  capabilities: [
    { capability: 'classify', task: 'intent', quality: 0.5, costMicros: 0, async invoke() { return { output: { label: 'high', score: 0.9 } }; } },
    { capability: 'predict', task: 'content', quality: 0.5, costMicros: 0, async invoke() { return { output: { topic: 'security', variant: 'b' } }; } },
    { capability: 'generate', task: 'message', quality: 0.5, costMicros: 0, async invoke() { return { output: { subject: 'Hello', body: 'Body', offer: false } }; } },
    { capability: 'predict', task: 'channel-time', quality: 0.5, costMicros: 0, async invoke() { return { output: { channel: 'email', sendHour: 14, expectedReward: 0.2 } }; } },
  ],
});

const crm = defineConnector({
  name: 'crm', version: '1.0.0', config: z.object({}).strict(), async check() { return { ok: true, message: 'ok' }; }, streams: [],
  actions: [defineAction({ name: 'enroll', input: z.record(z.string(), z.unknown()), idempotencyKey: () => 'k', async run() { return {}; } })],
});

const steps = (input: Record<string, unknown>, action = 'crm.enroll') => [
  { name: 'intent', capability: 'classify', task: 'intent' },
  { name: 'content', capability: 'predict', task: 'content' },
  { name: 'message', capability: 'generate', task: 'message' },
  { name: 'channel', capability: 'predict', task: 'channel-time' },
  { name: 'execute', execute: { email: { action, input } } },
];

function config(dbPath: string, input: Record<string, unknown>, action?: string): RevloopConfigInput {
  return {
    store: { kind: 'sqlite', path: dbPath },
    log: { level: 'silent' },
    // `ads` is configured but disabled: its ids are still in the identity map
    connectors: { crm: { plugin: crm }, ads: { plugin: crm, enabled: false } },
    models: { m: { plugin: models } },
    workflows: { w: { steps: steps(input, action) as never } },
  };
}

async function validate(input: Record<string, unknown>, action?: string): Promise<void> {
  const loaded = parseConfig(config(':memory:', input, action), { env: {} });
  validateWorkflows(loaded.config, await loadRegistry(loaded));
}

async function refusal(input: Record<string, unknown>, action?: string): Promise<RevloopError> {
  try {
    await validate(input, action);
  } catch (e) {
    expect(e).toBeInstanceOf(RevloopError);
    const err = e as RevloopError;
    expect(err.code).toBe('WORKFLOW_INVALID');
    expect(err.exitCode).toBe(2);
    return err;
  }
  throw new Error('expected the workflow to be refused');
}

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('workflow validation: execute targets', () => {
  it('refuses a misspelled placeholder, naming the field, the placeholder and the allowed ones', async () => {
    const err = await refusal({ email: '{{contact.mail}}' });
    expect(err.where).toBe('workflows.w.steps.4.execute.email.input.email');
    expect(err.message).toContain('{{contact.mail}}');
    expect(err.fix).toContain('{{contact.email}}');
    expect(err.fix).toContain('{{message.subject}}');
    expect(err.fix).toContain('{{contact.ids.<connector>}} (connectors: ads, crm)');
  });

  it('finds a placeholder inside text, arrays and nested objects', async () => {
    const err = await refusal({ records: [{ id: '{{contact.id}}', properties: { topic: '{{topic}}', note: 'about {{mesage.subject}} today' } }] });
    expect(err.where).toBe('workflows.w.steps.4.execute.email.input.records.0.properties.note');
    expect(err.message).toContain('{{mesage.subject}}');
    expect((await refusal({ emails: ['{{contact.email}}', '{{ account.domain }}'] })).where).toBe('workflows.w.steps.4.execute.email.input.emails.1');
  });

  it('refuses {{account.ids.X}} / {{contact.ids.X}} when no connector X is configured', async () => {
    const err = await refusal({ contactId: '{{contact.ids.crm}}', companyId: '{{account.ids.hubspot}}' });
    expect(err.where).toBe('workflows.w.steps.4.execute.email.input.companyId');
    expect(err.message).toMatch(/\{\{account\.ids\.hubspot\}\}.*no connector named "hubspot"/);
    expect(err.fix).toContain('connectors: ads, crm');
    // a connector name with a dash can't be written in a placeholder: said so, not silently sent as text
    expect((await refusal({ id: '{{contact.ids.google-ads}}' })).message).toMatch(/dash/);
    // the bare identity map or a value the context lacks
    expect((await refusal({ x: '{{contact}}' })).message).toContain('{{contact}}');
    expect((await refusal({ x: '{{account.region}}' })).message).toContain('{{account.region}}');
  });

  it('accepts every documented placeholder, with ids of enabled and disabled connectors', async () => {
    const input = Object.fromEntries(contextPaths.map((p) => [p, `{{${p}}}`]));
    await expect(validate({ ...input, a: '{{account.ids.crm}}', c: ['{{ contact.ids.ads }}'], plain: 'no placeholder', n: 3 })).resolves.toBeUndefined();
  });

  it('refuses an action the connector does not have, naming the ones it has', async () => {
    const err = await refusal({}, 'crm.enrol');
    expect(err.where).toBe('workflows.w.steps.4.execute.email.action');
    expect(err.message).toContain('no action "enrol"');
    expect(err.fix).toContain('enroll');
  });

  it('createRuntime refuses a bad placeholder before it opens the store: nothing is written', async () => {
    dir = mkdtempSync(join(tmpdir(), 'revloop-validate-'));
    const db = join(dir, 'data', 'r.db');
    await expect(createRuntime(parseConfig(config(db, { email: '{{contact.emial}}' }), { env: {} }))).rejects.toMatchObject({ code: 'WORKFLOW_INVALID', kind: 'bad_input' });
    expect(existsSync(join(dir, 'data'))).toBe(false);
  });

  it('every placeholder the validator accepts is filled by the engine (the list matches plan())', async () => {
    dir = mkdtempSync(join(tmpdir(), 'revloop-validate-'));
    const T0 = Date.UTC(2024, 0, 10);
    const input = { ...Object.fromEntries(contextPaths.map((p) => [p, `{{${p}}}`])), accountIds: '{{account.ids.crm}}', contactIds: '{{contact.ids.crm}}' };
    const runtime = await createRuntime(parseConfig(config(join(dir, 'r.db'), input), { env: {} }), { clock: new SimulatedClock(T0) });
    try {
      await runtime.store.migrate();
      await runtime.store.applyBatch({ system: 'crm', entityType: 'account', records: [{ systemId: 'A1', fields: { name: 'A1', industry: 'fintech', size: 'mid' } }], syncedAt: T0 });
      await runtime.store.applyBatch({ system: 'crm', entityType: 'contact', records: [{ systemId: 'C1', fields: { email: 'c1@x.test', persona: 'champion', title: 'CTO' }, links: { account: 'A1' } }], syncedAt: T0 });
      await runtime.store.applyBatch({ system: 'crm', entityType: 'signal', records: [{ systemId: 's1', fields: { type: 'demo_visit', occurred_at: T0 - 3_600_000 }, links: { account: 'A1' } }], syncedAt: T0 });
      const calls: unknown[] = [];
      const executor: Executor = async (_c, _a, filled) => (calls.push(filled), { ok: true });
      const summary = await runWorkflow(runtime, 'w', { executor });
      expect(summary.executed).toBe(1);
      const filled = calls[0] as Record<string, unknown>;
      for (const p of contextPaths) expect(filled[p], p).not.toBeUndefined();
      expect(filled).toMatchObject({ 'contact.email': 'c1@x.test', 'contact.title': 'CTO', 'account.industry': 'fintech', topic: 'security', variant: 'b', channel: 'email', sendHour: 14, 'message.subject': 'Hello', 'message.offer': false, accountIds: 'A1', contactIds: 'C1' });
    } finally {
      await runtime.close();
    }
  });
});

describe('workflow validation: offline-conversion uploads', () => {
  const withConversions = async (conversions: unknown[]) => {
    const base = config(':memory:', { email: '{{contact.email}}' });
    const wf = (base.workflows as Record<string, Record<string, unknown>>).w!;
    const loaded = parseConfig({ ...base, workflows: { w: { ...wf, conversions } } } as unknown as RevloopConfigInput, { env: {} });
    validateWorkflows(loaded.config, await loadRegistry(loaded));
  };

  it('accepts an upload whose item names outcome, account and contact values', async () => {
    await expect(withConversions([{ action: 'crm.enroll', batch: 'events', item: { id: '{{outcome.id}}', at: '{{outcome.occurredAt}}', value: '{{outcome.valueMicros}}', email: '{{contact.email}}', crmId: '{{account.ids.crm}}' } }])).resolves.toBeUndefined();
  });

  it('refuses an unknown action and a placeholder an outcome does not have, with the path', async () => {
    await expect(withConversions([{ action: 'crm.upload', batch: 'events', item: { id: '{{outcome.id}}' } }])).rejects.toMatchObject({ code: 'WORKFLOW_INVALID', where: 'workflows.w.conversions.0.action' });
    // a decision's message is no part of an outcome
    await expect(withConversions([{ action: 'crm.enroll', batch: 'events', item: { s: '{{message.subject}}' } }])).rejects.toMatchObject({ code: 'WORKFLOW_INVALID', where: 'workflows.w.conversions.0.item.s' });
  });
});

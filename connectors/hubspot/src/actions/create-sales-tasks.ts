// Create sales tasks for contacts (or companies), idempotently: every task carries revloop's key in
// a task property (created on first use); a search for the keys runs before any create, so a
// retried action — or a crash between HubSpot's write and revloop's record of it — never creates a
// task twice. Batched by 100; a refused batch is retried one task at a time for per-task results.
// A create is never re-sent blindly: after a 5xx, timeout or dropped connection (the write may have
// happened) the keys are searched again and only the missing tasks are created. `reconcile` runs
// the same search without writing (core calls it before re-sending an execution of unknown outcome).
import { z } from 'zod';
import { defineAction, isRevloopError, wallClock, type ActionRecordResult, type PluginContext, type ReconcileResult } from '@revloop/core';
import type { HubSpotConfig } from '../config.js';
import { hubspotFor, isOutcomeUnknown, type HubSpotApi } from '../client.js';
import { discoverProperties } from '../properties.js';
import { readAssociations } from '../associations.js';
import { hashKey } from '../idempotency.js';

const taskInput = z
  .object({
    /** revloop's idempotency key of this task (e.g. the decision id) */
    key: z.string().min(1).max(200),
    subject: z.string().min(1).max(500),
    body: z.string().max(60_000).optional(),
    /** due time, epoch ms (default: now) */
    dueAt: z.number().int().optional(),
    priority: z.enum(['LOW', 'MEDIUM', 'HIGH']).default('MEDIUM'),
    contactId: z.string().regex(/^\d+$/).optional(),
    companyId: z.string().regex(/^\d+$/).optional(),
    topic: z.string().optional(),
  })
  .strict()
  .refine((t) => t.contactId || t.companyId, 'a task needs a contactId or a companyId');

const inputSchema = z.object({ tasks: z.array(taskInput).min(1).max(5000) }).strict();
type Input = z.infer<typeof inputSchema>;
type Task = Input['tasks'][number];
export interface CreateTasksResult {
  results: ActionRecordResult<{ id: string; created: boolean }>[];
  created: number;
  existing: number;
  failed: number;
}

// HUBSPOT_DEFINED association type ids: task → contact, task → company
const TASK_TO_CONTACT = 204;
const TASK_TO_COMPANY = 192;

const foundSchema = z.looseObject({ results: z.array(z.looseObject({ id: z.union([z.string(), z.number()]).transform(String), properties: z.record(z.string(), z.string().nullish()) })) });

async function ensureKeyProperty(ctx: PluginContext<HubSpotConfig>, api: HubSpotApi): Promise<{ hasTopic: boolean }> {
  const catalog = await discoverProperties(api, 'tasks');
  const name = ctx.config.taskKeyProperty;
  if (!catalog.all.has(name)) {
    try {
      await api.call('create task key property', (sdk) =>
        sdk.crm.properties.coreApi.create('tasks', { name, label: 'revloop key', type: 'string' as never, fieldType: 'text' as never, groupName: 'task', description: "revloop's idempotency key: one task per key" }),
      );
    } catch (e) {
      // 409: created meanwhile by another run
      if (!(isRevloopError(e) && /\b409\b/.test(e.message))) throw e;
    }
  }
  return { hasTopic: catalog.all.has('revloop_topic') };
}

async function existingByKey(ctx: PluginContext<HubSpotConfig>, api: HubSpotApi, keys: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const prop = ctx.config.taskKeyProperty;
  for (let i = 0; i < keys.length; i += 100) {
    const values = keys.slice(i, i + 100);
    let after: string | undefined;
    do {
      const res = await api.call(
        'search tasks by key',
        (sdk) => sdk.crm.objects.searchApi.doSearch('tasks', { filterGroups: [{ filters: [{ propertyName: prop, operator: 'IN' as never, values }] }], properties: [prop], limit: 200, after: after as never, sorts: [] }),
        { search: true },
      );
      for (const r of foundSchema.parse(res).results) if (r.properties[prop]) found.set(r.properties[prop]!, r.id);
      after = res.paging?.next?.after;
    } while (after);
  }
  return found;
}

/**
 * The keys' tasks, read without the search index: the tasks associated with the keys' contacts (or
 * companies), then their key property by batch read. Search lags writes by seconds; this read does
 * not, so a task written just before a lost answer is found. Used after an unknown outcome and by
 * reconcile, for the keys search did not find.
 */
async function existingByAssociation(ctx: PluginContext<HubSpotConfig>, api: HubSpotApi, tasks: Task[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (!tasks.length) return found;
  const prop = ctx.config.taskKeyProperty;
  const wanted = new Set(tasks.map((t) => t.key));
  const contacts = [...new Set(tasks.filter((t) => t.contactId).map((t) => t.contactId!))];
  const companies = [...new Set(tasks.filter((t) => !t.contactId && t.companyId).map((t) => t.companyId!))];
  const taskIds = new Set<string>();
  for (const [type, ids] of [['contacts', contacts], ['companies', companies]] as const) {
    if (!ids.length) continue;
    for (const list of (await readAssociations(api, type, 'tasks', ids)).values()) for (const id of list) taskIds.add(id);
  }
  const all = [...taskIds];
  for (let i = 0; i < all.length; i += 100) {
    const inputs = all.slice(i, i + 100).map((id) => ({ id }));
    const res = foundSchema.parse(await api.call('read associated tasks', (sdk) => sdk.crm.objects.tasks.batchApi.read({ inputs, properties: [prop], propertiesWithHistory: [] })));
    for (const r of res.results) {
      const key = r.properties[prop];
      if (key && wanted.has(key) && !found.has(key)) found.set(key, r.id);
    }
  }
  return found;
}

/** search first (cheap), then, for the keys it did not find, the association read (no index lag) */
async function lookUp(ctx: PluginContext<HubSpotConfig>, api: HubSpotApi, tasks: Task[]): Promise<Map<string, string>> {
  const found = await existingByKey(ctx, api, tasks.map((t) => t.key));
  const rest = tasks.filter((t) => !found.has(t.key));
  for (const [key, id] of await existingByAssociation(ctx, api, rest)) found.set(key, id);
  return found;
}

function toInput(ctx: PluginContext<HubSpotConfig>, t: Task, hasTopic: boolean) {
  const properties: Record<string, string> = {
    hs_task_subject: t.subject,
    hs_task_body: t.body ?? '',
    hs_timestamp: new Date(t.dueAt ?? ctx.clock.now()).toISOString(),
    hs_task_status: 'NOT_STARTED',
    hs_task_priority: t.priority,
    hs_task_type: 'TODO',
    [ctx.config.taskKeyProperty]: t.key,
  };
  if (t.topic && hasTopic) properties.revloop_topic = t.topic;
  const associations = [
    ...(t.contactId ? [{ to: { id: t.contactId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: TASK_TO_CONTACT }] }] : []),
    ...(t.companyId ? [{ to: { id: t.companyId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: TASK_TO_COMPANY }] }] : []),
  ];
  return { properties, associations: associations as never[] };
}

type TaskResult = ActionRecordResult<{ id: string; created: boolean }>;

function summarise(input: Input, results: Map<string, TaskResult>): CreateTasksResult {
  const ordered = input.tasks.map((t) => results.get(t.key) ?? { key: t.key, ok: false, error: 'HubSpot did not report this task' });
  return {
    results: ordered,
    created: ordered.filter((r) => r.ok && r.result?.created).length,
    existing: ordered.filter((r) => r.ok && !r.result?.created).length,
    failed: ordered.filter((r) => !r.ok).length,
  };
}

/**
 * Sends `send` for `pending`; when its outcome is unknown (5xx, timeout, dropped connection after the
 * request left), searches the keys and sends again only for the ones HubSpot does not have.
 */
async function createLooking(
  ctx: PluginContext<HubSpotConfig>,
  api: HubSpotApi,
  pending: Task[],
  results: Map<string, TaskResult>,
  send: (tasks: Task[]) => Promise<void>,
): Promise<void> {
  const { attempts, serverErrorBackoffMs } = ctx.config.retry;
  for (let attempt = 1; pending.length; attempt++) {
    try {
      await send(pending);
      return;
    } catch (e) {
      if (!isOutcomeUnknown(e) || attempt >= attempts) throw e;
      await wallClock.sleep(serverErrorBackoffMs * attempt);
      const written = await lookUp(ctx, api, pending);
      for (const t of pending) {
        const id = written.get(t.key);
        if (id) results.set(t.key, { key: t.key, ok: true, result: { id, created: true } });
      }
      ctx.log.info({ found: written.size, missing: pending.length - written.size }, 'hubspot task create outcome unknown: looked up the keys, creating only the missing ones');
      pending = pending.filter((t) => !written.has(t.key));
    }
  }
}

export default defineAction<HubSpotConfig, Input, CreateTasksResult>({
  name: 'create-sales-tasks',
  description: 'create HubSpot tasks (one per key, never twice) associated with a contact or company',
  input: inputSchema,
  idempotencyKey: (input) => hashKey(input.tasks.map((t) => t.key)),
  async run(ctx, input) {
    const api = hubspotFor(ctx);
    const { hasTopic } = await ensureKeyProperty(ctx, api);
    const prop = ctx.config.taskKeyProperty;
    const unique = [...new Map(input.tasks.map((t) => [t.key, t])).values()];
    const existing = await existingByKey(ctx, api, unique.map((t) => t.key));
    const results = new Map<string, TaskResult>();
    for (const t of unique) {
      const id = existing.get(t.key);
      if (id) results.set(t.key, { key: t.key, ok: true, result: { id, created: false } });
    }
    const todo = unique.filter((t) => !existing.has(t.key));
    for (let i = 0; i < todo.length; i += 100) {
      const chunk = todo.slice(i, i + 100);
      try {
        await createLooking(ctx, api, chunk, results, async (pending) => {
          const res = foundSchema.parse(
            await api.call('batch create tasks', (sdk) => sdk.crm.objects.tasks.batchApi.create({ inputs: pending.map((t) => toInput(ctx, t, hasTopic)) }), { write: true }),
          );
          // unordered results: match by the key property
          for (const r of res.results) {
            const key = r.properties[prop];
            if (key) results.set(key, { key, ok: true, result: { id: r.id, created: true } });
          }
        });
      } catch (e) {
        if (isRevloopError(e) && e.code !== 'HUBSPOT_REQUEST_FAILED' && !isOutcomeUnknown(e)) throw e;
        // the batch was refused, but a refusal may come after part of it was written (an association
        // checked per record): search the keys again, then create the rest one at a time
        const rest = chunk.filter((t) => !results.get(t.key)?.ok);
        const written = await lookUp(ctx, api, rest);
        for (const t of rest) {
          const id = written.get(t.key);
          if (id) {
            results.set(t.key, { key: t.key, ok: true, result: { id, created: true } });
            continue;
          }
          try {
            await createLooking(ctx, api, [t], results, async () => {
              const r = await api.call('create task', (sdk) => sdk.crm.objects.tasks.basicApi.create(toInput(ctx, t, hasTopic)), { write: true });
              results.set(t.key, { key: t.key, ok: true, result: { id: String(r.id), created: true } });
            });
          } catch (err) {
            if (isRevloopError(err) && err.code !== 'HUBSPOT_REQUEST_FAILED' && !isOutcomeUnknown(err)) throw err;
            results.set(t.key, { key: t.key, ok: false, error: err instanceof Error ? err.message : String(err) });
          }
        }
      }
    }
    return summarise(input, results);
  },
  /** which of the input's keys HubSpot already has (search by the key property); writes nothing */
  async reconcile(ctx, input): Promise<ReconcileResult<Input, CreateTasksResult>> {
    const api = hubspotFor(ctx);
    // no key property yet: no task of revloop's can exist
    if (!(await discoverProperties(api, 'tasks')).all.has(ctx.config.taskKeyProperty)) return { found: false };
    const unique = [...new Map(input.tasks.map((t) => [t.key, t])).values()];
    const existing = await lookUp(ctx, api, unique);
    if (existing.size === 0) return { found: false };
    const results = new Map<string, TaskResult>();
    for (const [key, id] of existing) results.set(key, { key, ok: true, result: { id, created: true } });
    if (existing.size === unique.length) return { found: true, result: summarise(input, results) };
    const doneInput = { tasks: input.tasks.filter((t) => existing.has(t.key)) };
    return { found: 'partial', remaining: { tasks: input.tasks.filter((t) => !existing.has(t.key)) }, done: summarise(doneInput, results) };
  },
});

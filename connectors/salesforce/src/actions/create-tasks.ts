// Creates sales Tasks, idempotently: each task carries revloop's key in a custom Task field
// (config taskKeyField, default revloop_key__c); existing keys are queried before creating, so a
// retry after a crash (or a timeout after Salesforce already wrote) never creates a second task.
// Orgs without that field get the key as a marker line at the end of the task's Description
// (`[revloop:<key>]`), matched exactly after a SOQL query of the persons' tasks (Description is a
// long text area: SOQL cannot filter on it). The old fallback (WhoId, Subject, ActivityDate) merged
// distinct tasks for one person, subject and date and reported them ok without creating them. The
// key is never put in Subject: Subject is what the salesperson (and the market simulator) reads.
// The composite create itself is never retried blindly (a 5xx may come after the write): the whole
// find-then-create step runs again, so only the tasks still missing are sent. `reconcile` runs the
// same find without writing.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { defineAction, type ActionRecordResult, type PluginContext, type ReconcileResult } from '@revloop/core';
import { clientFor, queryAll, retryTransient } from '../client.js';
import { compositeWrite, describeErrors } from '../composite.js';
import type { SalesforceConfig } from '../config.js';
import { sfIdSchema } from '../ids.js';
import { chunk, soqlIn } from '../soql.js';

const taskSchema = z
  .object({
    key: z.string().min(1).max(80),
    whoId: sfIdSchema,
    whatId: sfIdSchema.optional(),
    subject: z.string().min(1).max(255),
    description: z.string().max(32000).optional(),
    activityDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
    priority: z.enum(['High', 'Normal', 'Low']).optional(),
    status: z.string().optional(),
  })
  .strict();
const inputSchema = z
  .object({ tasks: z.array(taskSchema).min(1).max(2000) })
  .strict()
  .refine((i) => new Set(i.tasks.map((t) => t.key)).size === i.tasks.length, 'task keys must be unique');
type Task = z.infer<typeof taskSchema>;
type Input = z.infer<typeof inputSchema>;
type Result = { results: ActionRecordResult<{ id: string; created: boolean }>[]; created: number; existing: number; failed: number };

/** the marker that carries revloop's key in Description when the org has no key field */
export const keyMarker = (key: string) => `[revloop:${key}]`;
const MARKER = /\[revloop:([^\]\r\n]+)\]\s*$/;

function descriptionOf(t: Task, keyField: boolean): string | undefined {
  if (keyField) return t.description;
  return t.description ? `${t.description}\n\n${keyMarker(t.key)}` : keyMarker(t.key);
}

async function hasKeyField(ctx: PluginContext<SalesforceConfig>): Promise<boolean> {
  const d = (await clientFor(ctx).request({ method: 'GET', url: '/sobjects/Task/describe' }, 'describe Task')) as { fields: { name: string }[] };
  return d.fields.some((f) => f.name.toLowerCase() === ctx.config.taskKeyField.toLowerCase());
}

/** revloop key → existing Task id */
async function existingTasks(ctx: PluginContext<SalesforceConfig>, tasks: Task[], keyField: boolean): Promise<Map<string, string>> {
  const client = clientFor(ctx);
  const found = new Map<string, string>();
  const f = ctx.config.taskKeyField;
  if (keyField) {
    for (const part of chunk(tasks, 200)) {
      const rows = await queryAll<Record<string, string>>(client, `SELECT Id, ${f} FROM Task WHERE ${f} IN ${soqlIn(part.map((t) => t.key))}`, 'find tasks by key');
      for (const r of rows) {
        const key = part.find((t) => t.key === r[f])?.key; // SOQL = is case-insensitive: compare exactly here
        if (key) found.set(key, r.Id!);
      }
    }
    return found;
  }
  // the key marker at the end of Description, for the same person: exact, so two distinct tasks with
  // the same person, subject and date are never taken for one another
  const wanted = new Map(tasks.map((t) => [`${t.whoId.slice(0, 15)}|${t.key}`, t.key]));
  for (const part of chunk([...new Set(tasks.map((t) => t.whoId))], 200)) {
    const rows = await queryAll<{ Id: string; WhoId: string; Description: string | null }>(
      client,
      `SELECT Id, WhoId, Description FROM Task WHERE WhoId IN ${soqlIn(part)}`,
      'find tasks by person and key marker',
    );
    for (const r of rows) {
      const marker = MARKER.exec(r.Description ?? '')?.[1];
      const key = marker && wanted.get(`${r.WhoId.slice(0, 15)}|${marker}`);
      if (key && !found.has(key)) found.set(key, r.Id);
    }
  }
  return found;
}

export default defineAction<SalesforceConfig, Input, Result>({
  name: 'create_tasks',
  description: 'create sales Tasks (idempotent by revloop key; per-record results)',
  input: inputSchema,
  idempotencyKey: (input) => createHash('sha256').update(JSON.stringify(input.tasks)).digest('hex').slice(0, 32),
  run: (ctx, input) => retryTransient(ctx, 'create', async () => {
    const keyField = await hasKeyField(ctx);
    if (!keyField) ctx.log.warn({ field: ctx.config.taskKeyField }, 'Task has no revloop key field: the key goes into Description as [revloop:<key>]');
    const existing = await existingTasks(ctx, input.tasks, keyField);
    const missing = input.tasks.filter((t) => !existing.has(t.key));
    const saved = await compositeWrite(
      ctx,
      'POST',
      missing.map((t) => ({
        type: 'Task',
        fields: {
          WhoId: t.whoId,
          Subject: t.subject,
          ...(t.whatId ? { WhatId: t.whatId } : {}),
          ...(descriptionOf(t, keyField) ? { Description: descriptionOf(t, keyField) } : {}),
          ...(t.activityDate ? { ActivityDate: t.activityDate } : {}),
          ...(t.priority ? { Priority: t.priority } : {}),
          ...(t.status ? { Status: t.status } : {}),
          ...(keyField ? { [ctx.config.taskKeyField]: t.key } : {}),
        },
      })),
    );
    const outcome = new Map(missing.map((t, i) => [t.key, saved[i]!]));
    const results = input.tasks.map((t): ActionRecordResult<{ id: string; created: boolean }> => {
      const id = existing.get(t.key);
      if (id) return { key: t.key, ok: true, result: { id, created: false } };
      const s = outcome.get(t.key)!;
      return s.success && s.id ? { key: t.key, ok: true, result: { id: s.id, created: true } } : { key: t.key, ok: false, error: describeErrors(s) };
    });
    return {
      results,
      created: results.filter((r) => r.result?.created).length,
      existing: existing.size,
      failed: results.filter((r) => !r.ok).length,
    };
  }),
  /** which of the input's tasks Salesforce already has (by key field, else by Description marker); writes nothing */
  reconcile: (ctx, input) => retryTransient(ctx, 'reconcile', async (): Promise<ReconcileResult<Input, Result>> => {
    const existing = await existingTasks(ctx, input.tasks, await hasKeyField(ctx));
    if (existing.size === 0) return { found: false };
    const summary = (tasks: Task[]): Result => {
      const results = tasks.map((t) => ({ key: t.key, ok: true, result: { id: existing.get(t.key)!, created: true } }));
      return { results, created: results.length, existing: 0, failed: 0 };
    };
    if (existing.size === input.tasks.length) return { found: true, result: summary(input.tasks) };
    return { found: 'partial', remaining: { tasks: input.tasks.filter((t) => !existing.has(t.key)) }, done: summary(input.tasks.filter((t) => existing.has(t.key))) };
  }),
});

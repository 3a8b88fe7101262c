// Reads Leads' and Contacts' fields back to tell which PATCHes Salesforce already applied (issue #27):
// a PATCH is a write even with the same values (LastModifiedDate moves, record-triggered flows and
// Apex update triggers run again), so one whose outcome is unknown is looked at, not re-sent.
import type { PluginContext } from '@revloop/core';
import { clientFor, queryAll } from './client.js';
import type { SalesforceConfig } from './config.js';
import { chunk, soqlIn } from './soql.js';

export interface PersonWrite {
  type: string;
  id: string;
  fields: Record<string, unknown>;
}

/** Salesforce answers numbers as numbers and empty fields as null: compare as Salesforce stores them */
function same(stored: unknown, intended: unknown): boolean {
  if (intended === null || intended === undefined || intended === '') return stored === null || stored === undefined || stored === '';
  if (typeof intended === 'number') return Number(stored) === intended;
  return String(stored) === String(intended);
}

/** ids (15 or 18 characters as given) of the writes whose every field already holds the intended value */
export async function alreadyApplied(ctx: PluginContext<SalesforceConfig>, writes: PersonWrite[]): Promise<Set<string>> {
  const applied = new Set<string>();
  const client = clientFor(ctx);
  for (const type of new Set(writes.map((w) => w.type))) {
    const ofType = writes.filter((w) => w.type === type);
    const fields = [...new Set(ofType.flatMap((w) => Object.keys(w.fields)))];
    for (const part of chunk(ofType, 200)) {
      const rows = await queryAll<Record<string, unknown> & { Id: string }>(client, `SELECT Id, ${fields.join(', ')} FROM ${type} WHERE Id IN ${soqlIn(part.map((w) => w.id))}`, `read back ${type} fields`);
      const byId = new Map(rows.map((r) => [r.Id.slice(0, 15), r]));
      for (const w of part) {
        const row = byId.get(w.id.slice(0, 15));
        if (row && Object.entries(w.fields).every(([k, v]) => same(row[k], v))) applied.add(w.id);
      }
    }
  }
  return applied;
}

// Field discovery: a describe call at the start of each sync picks the standard fields the org
// exposes (field-level security can hide some) and every custom `__c` field, so a custom field an
// admin adds today is in attributes on the next sync without a code change.
import { z } from 'zod';
import type { PluginContext } from '@revloop/core';
import { clientFor } from './client.js';
import type { SalesforceConfig } from './config.js';

const describeSchema = z.looseObject({
  name: z.string(),
  fields: z.array(z.looseObject({ name: z.string(), type: z.string(), custom: z.boolean().optional() })),
});

export interface Discovered {
  /** the SELECT list */
  fields: string[];
  /** custom fields found (in the SELECT list too) */
  custom: string[];
}

/**
 * @param wanted standard fields the stream maps; a relationship path ("Contact.AccountId") is kept
 *               when its base reference field ("ContactId") exists.
 */
export async function discoverFields(ctx: PluginContext<SalesforceConfig>, sobject: string, wanted: readonly string[]): Promise<Discovered> {
  const body = describeSchema.parse(await clientFor(ctx).request({ method: 'GET', url: `/sobjects/${sobject}/describe` }, `describe ${sobject}`));
  const present = new Set(body.fields.map((f) => f.name.toLowerCase()));
  const fields: string[] = [];
  for (const name of wanted) {
    const dot = name.indexOf('.');
    const base = dot < 0 ? name : `${name.slice(0, dot)}Id`;
    if (present.has(base.toLowerCase())) fields.push(name);
    else ctx.log.warn({ sobject, field: name }, 'field not visible to the integration user: left out of the sync');
  }
  const custom = body.fields.filter((f) => f.custom || f.name.endsWith('__c')).map((f) => f.name);
  for (const name of custom) if (!fields.some((f) => f.toLowerCase() === name.toLowerCase())) fields.push(name);
  return { fields, custom };
}

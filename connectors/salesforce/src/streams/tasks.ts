// A Task is a seller's touch on a person: a touchpoint (kind 'exposure', channel 'sales_task'),
// not a signal — signals are what the buyer does (visits, engagement, form fills), a Task is
// something done to the buyer, exactly what attribution joins to outcomes. Linked to the contact
// or lead (WhoId) and to the account when WhatId is an Account.
import { z } from 'zod';
import { defineStream, type UnifiedRecord } from '@revloop/core';
import type { SalesforceConfig } from '../config.js';
import { isoDate, parseSfDateTime } from '../datetime.js';
import { sobjectOfId } from '../ids.js';
import { checkpointSchema, readIncremental, type SfCheckpoint, type SfRecord } from '../incremental.js';
import { base, unmapped } from '../mapping.js';

const taskSchema = z.looseObject({
  Id: z.string(),
  SystemModstamp: z.string(),
  CreatedDate: z.string(),
  WhoId: z.string().nullish(),
  WhatId: z.string().nullish(),
});
const MAPPED = ['WhoId', 'WhatId'] as const;

export default defineStream<SalesforceConfig, SfRecord, SfCheckpoint>({
  name: 'tasks',
  description: "Task → touchpoint (kind 'exposure', channel 'sales_task'; links WhoId contact/lead, WhatId account)",
  entity: 'touchpoint',
  cursor: 'SystemModstamp',
  deletes: 'tombstones',
  checkpoint: checkpointSchema,
  read: (ctx, input) => readIncremental(ctx, { sobject: 'Task', fields: ['Subject', 'WhoId', 'WhatId', 'Status', 'Priority', 'ActivityDate'], deletes: 'getDeleted' }, input),
  map(record): UnifiedRecord {
    const t = taskSchema.parse(record);
    const created = parseSfDateTime(t.CreatedDate);
    const who = sobjectOfId(t.WhoId);
    return {
      ...base(record),
      fields: { kind: 'exposure', channel: 'sales_task', occurred_at: created, date: created === null ? null : isoDate(created) },
      links: { contact: who === 'Contact' || who === 'Lead' ? t.WhoId! : null, account: sobjectOfId(t.WhatId) === 'Account' ? t.WhatId! : null },
      attributes: unmapped(record, MAPPED),
    };
  },
});

// A reference connector (not a vendor): shows and tests the whole contract — config, check,
// incremental sync with a tie-safe cursor, resume, tombstone deletes and merges, an idempotent
// action — through the public API of @revloop/core only.
import { existsSync, statSync } from 'node:fs';
import { defineConnector } from '@revloop/core';
import { referenceConfigSchema } from './config.js';
import accounts from './streams/accounts.js';
import contacts from './streams/contacts.js';
import addNote from './actions/add-note.js';

export const referenceConnector = defineConnector({
  name: '@revloop/connector-reference',
  version: '0.1.0',
  description: 'Reads accounts and contacts from JSON-lines files (or generates synthetic contacts).',
  config: referenceConfigSchema,
  async check(ctx) {
    if (ctx.config.syntheticContacts) return { ok: true, message: `synthetic source with ${ctx.config.syntheticContacts} contacts` };
    const dir = ctx.config.dataDir!;
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      return { ok: false, message: `data folder ${dir} does not exist: create it or fix dataDir` };
    }
    ctx.log.debug({ dir }, 'reference source found');
    return { ok: true, message: `reading ${dir}` };
  },
  streams: [accounts, contacts],
  actions: [addNote],
});

export default referenceConnector;
export type { ReferenceConfig } from './config.js';

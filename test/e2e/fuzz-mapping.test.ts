// Property-based test of every vendor connector's record mapping (#25 item 9): each stream's map()
// gets ~500 generated vendor-shaped records (known field names of the four vendors with values of
// any type, missing, null or nested). Whatever comes in: the batch mapper never throws, a record
// it refuses is named with a message that holds no stack trace, every record it keeps is a valid
// unified row, and writing the kept rows to a real SQLite store succeeds as a whole.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { openSqliteStore } from '@revloop/store';
import { mapBatch } from '../../packages/core/src/sync/map-records.js';
import { checkMapped } from '../../packages/core/src/sync/map-records.js';
import { vendorConnectorDefinitions } from './bundled-plugins.js';

const fields = [
  'id', 'Id', 'objectId', 'properties', 'associations', 'createdAt', 'updatedAt', 'archived', 'attributes', 'Name', 'Website', 'Email', 'FirstName', 'LastName', 'Title',
  'AccountId', 'ContactId', 'LeadId', 'CampaignId', 'StageName', 'Amount', 'CloseDate', 'IsClosed', 'IsWon', 'SystemModstamp', 'LastModifiedDate', 'CreatedDate', 'IsDeleted', 'Status',
  'email', 'domain', 'name', 'hs_persona', 'createdate', 'lastmodifieddate', 'hs_lastmodifieddate', 'dealstage', 'amount', 'closedate', 'associatedcompanyid', 'hs_additional_domains',
  'recipient', 'type', 'created', 'emailCampaignId', 'url', 'eventType', 'occurredAt', 'objectType', 'campaign', 'campaignGroup', 'status', 'dailyBudget', 'pivotValues', 'dateRange',
  'impressions', 'clicks', 'costInLocalCurrency', 'externalWebsiteConversions', 'resource_name', 'campaign.id', 'metrics', 'segments', 'click_view', 'gclid', 'date', 'cost_micros', 'conversions',
];
const scalar = fc.oneof(fc.string({ maxLength: 24 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom('2025-01-06T09:00:00Z', '1736154000000', 'closedwon', 'persona_1', 'a@b.co', 'urn:li:sponsoredCampaign:1'));
const record = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, scalar, tie('object'), fc.array(tie('value'), { maxLength: 3 })),
  object: fc.dictionary(fc.constantFrom(...fields), tie('value'), { maxKeys: 8 }),
})).object;

// a context good enough for map(): config values map() reads (personas, currency…) are absent or empty
const anything: any = new Proxy({}, { get: (_t, k) => (k === Symbol.toPrimitive ? () => '' : k === 'then' ? undefined : anything) });
const ctx = { config: new Proxy({}, { get: () => ({}) }), redactor: { text: (s: string) => s }, clock: { now: () => Date.UTC(2025, 0, 6) }, log: anything } as never;

describe('fuzz: connector record mapping', () => {
  for (const connector of vendorConnectorDefinitions) {
    for (const stream of connector.streams) {
      it(`${connector.name}/${stream.name}: any record is mapped to a valid row or refused by name, and kept rows store as a whole`, async () => {
        const store = openSqliteStore({ path: ':memory:' });
        await store.migrate();
        try {
          await fc.assert(
            fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 5 }), async (records) => {
              const { mapped, errors } = await mapBatch(stream as never, ctx, records);
              expect(mapped.length + errors.length).toBe(records.length);
              for (const e of errors) {
                expect(e.recordId).toBeTruthy();
                expect(e.message).not.toMatch(/\n\s+at /);
              }
              for (const m of mapped) expect(checkMapped(stream.entity, m)).toBeUndefined();
              // no partial write: the kept rows are stored together (or the batch throws and stores nothing)
              await store.applyBatch({ system: connector.name, entityType: stream.entity, records: mapped.map((m, i) => ({ ...m, systemId: `${m.systemId}#${i}` })), syncedAt: 1 });
            }),
            { numRuns: 500, seed: 9 },
          );
        } finally {
          await store.close();
        }
      });
    }
  }
});

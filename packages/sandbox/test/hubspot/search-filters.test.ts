// runSearch compares computed dates (create/modified times) as numbers without formatting them:
// the answers must be those of comparing the ISO text HubSpot shows, parsed back.
import { describe, expect, it } from 'vitest';
import { PropertyCatalog } from '../../src/emulators/hubspot/property-catalog.js';
import { runSearch, searchRequestSchema } from '../../src/emulators/hubspot/search.js';
import type { CrmRecord } from '../../src/emulators/hubspot/record-store.js';

const t0 = Date.UTC(2026, 0, 1);
const catalog = new PropertyCatalog(t0, true);
const contact = (n: number, updatedAt: number, properties: Record<string, string> = {}): CrmRecord => ({
  id: String(100 + n),
  type: 'contacts',
  properties: { email: `p${n}@acme.example`, ...properties },
  createdAt: t0 + n,
  updatedAt,
  archived: false,
});
// the same modification time for 102 and 103 (ties sort by id); 104 a fraction of a ms later than 103
const records = [contact(1, t0 + 5_000), contact(2, t0 + 1_000, { lifecyclestage: 'lead' }), contact(3, t0 + 1_000), contact(4, t0 + 1_000.7), contact(5, t0 + 9_000, { lifecyclestage: 'customer' })];
const ids = (req: unknown) => runSearch(catalog, 'contacts', records, searchRequestSchema.parse(req)).map((r) => r.id);
const filter = (propertyName: string, operator: string, value?: string, extra: Record<string, unknown> = {}) => ({ filterGroups: [{ filters: [{ propertyName, operator, value, ...extra }] }] });

describe('HubSpot emulator search: filters and sorts', () => {
  it('a modified-time window in epoch ms or ISO text selects the same records', () => {
    const window = (lo: string, hi: string) => ({ filterGroups: [{ filters: [{ propertyName: 'lastmodifieddate', operator: 'GTE', value: lo }, { propertyName: 'lastmodifieddate', operator: 'LT', value: hi }] }] });
    expect(ids(window(String(t0 + 1_000), String(t0 + 5_000)))).toEqual(['102', '103', '104']);
    expect(ids(window(new Date(t0 + 1_000).toISOString(), new Date(t0 + 5_001).toISOString()))).toEqual(['101', '102', '103', '104']);
    // hs_lastmodifieddate is accepted for contacts too; a fraction of a ms is dropped as in the ISO text
    expect(ids(filter('hs_lastmodifieddate', 'EQ', String(t0 + 1_000)))).toEqual(['102', '103', '104']);
    expect(ids(filter('createdate', 'BETWEEN', String(t0 + 2), { highValue: String(t0 + 3) }))).toEqual(['102', '103']);
  });

  it('sorts by modified time (ties by id), ascending and descending', () => {
    expect(ids({ sorts: [{ propertyName: 'lastmodifieddate', direction: 'ASCENDING' }] })).toEqual(['102', '103', '104', '101', '105']);
    expect(ids({ sorts: ['-lastmodifieddate'] })).toEqual(['105', '101', '102', '103', '104']);
  });

  it('keeps the other operators: IN, NEQ and NOT_IN on unset values, HAS_PROPERTY, CONTAINS_TOKEN, GT on ids', () => {
    expect(ids(filter('lifecyclestage', 'IN', undefined, { values: ['LEAD', 'customer'] }))).toEqual(['102', '105']);
    expect(ids(filter('lifecyclestage', 'NEQ', 'lead'))).toEqual(['101', '103', '104', '105']);
    expect(ids(filter('lifecyclestage', 'NOT_IN', undefined, { values: ['lead'] }))).toEqual(['101', '103', '104', '105']);
    expect(ids(filter('lifecyclestage', 'HAS_PROPERTY'))).toEqual(['102', '105']);
    expect(ids(filter('lifecyclestage', 'NOT_HAS_PROPERTY'))).toEqual(['101', '103', '104']);
    expect(ids(filter('email', 'CONTAINS_TOKEN', 'p3'))).toEqual(['103']);
    expect(ids(filter('email', 'NOT_CONTAINS_TOKEN', '*acme*'))).toEqual([]);
    expect(ids(filter('hs_object_id', 'GT', '103'))).toEqual(['104', '105']);
  });
});

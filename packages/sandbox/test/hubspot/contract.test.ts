// Contract: the emulator's answers on the endpoints the connector pages through conform to HubSpot's
// published response schemas (contract/hubspot-schemas.ts says where they come from and which
// divergences are deliberate). A field the emulator invents, drops or mistypes fails here.
import { Client } from '@hubspot/api-client';
import * as eventModels from '@hubspot/api-client/lib/codegen/events/models/all.js';
import * as associationModels from '@hubspot/api-client/lib/codegen/crm/associations/v4/models/all.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubSpotEmulator, type HubSpotEmulator } from '../../src/emulators/hubspot/index.js';
import { violations, type Schema } from './contract/mini-schema.js';
import * as spec from './contract/hubspot-schemas.js';
import { smallMarket, t0 } from './market-fixtures.js';

const token = 'pat-contract';
let emu: HubSpotEmulator;

beforeAll(async () => {
  emu = await startHubSpotEmulator({ tokens: [token], now: () => t0 + 86_400_000, associationPageSize: 2 });
  for (const e of smallMarket(30)) emu.state.apply(e);
  for (let i = 0; i < 5; i++) emu.state.apply({ kind: 'signal', signal: { id: `w${i}`, accountId: 'acc_000002', contactId: 'con_000001', type: i % 2 ? 'pricing_visit' : 'content_download', topic: 'roi', occurredAt: t0 + 1_000 + i } });
});
afterAll(() => emu.stop());

async function call(path: string, init: RequestInit = {}): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${emu.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers } });
  return { status: res.status, body: await res.json() };
}

function conforms(schema: Schema, body: unknown) {
  expect(violations(schema, body)).toEqual([]);
}

describe('HubSpot emulator: contract with HubSpot\'s OpenAPI response schemas', () => {
  it('the checker itself catches a missing, a mistyped and an invented field', () => {
    const good = { results: [{ eventType: 'e_visited_page', id: '1', objectId: '2', objectType: 'CONTACT', occurredAt: '2025-01-01T00:00:00.000Z', properties: {} }] };
    expect(violations(spec.collectionResponseExternalUnifiedEvent, good)).toEqual([]);
    const { properties: _p, ...noProps } = good.results[0]!;
    expect(violations(spec.collectionResponseExternalUnifiedEvent, { results: [noProps] })).toEqual(['$.results[0]: required property properties is missing']);
    expect(violations(spec.collectionResponseExternalUnifiedEvent, { results: [{ ...good.results[0], occurredAt: 1735689600000 }] })[0]).toMatch(/occurredAt: expected a string/);
    expect(violations(spec.collectionResponseExternalUnifiedEvent, { ...good, paging: { next: { after: '1', offset: 1 } } })).toEqual(['$.paging.next: property offset is not in the schema']);
  });

  it('GET /events/v3/events: pages, and its 400s, match CollectionResponseExternalUnifiedEvent and Error', async () => {
    const base = `/events/v3/events?objectType=contact&objectId=${emu.state.hubspotIdOf('con_000001')}&limit=2`;
    const first = await call(base);
    expect(first.status).toBe(200);
    conforms(spec.collectionResponseExternalUnifiedEvent, first.body);
    const after = (first.body as { paging: { next: { after: string } } }).paging.next.after;
    const second = await call(`${base}&after=${encodeURIComponent(after)}`);
    conforms(spec.collectionResponseExternalUnifiedEvent, second.body);
    for (const bad of ['/events/v3/events', '/events/v3/events?objectType=contact', `${base}&after=2`]) {
      const r = await call(bad);
      expect(r.status).toBe(400);
      conforms(spec.error, r.body);
    }
  });

  it('POST /crm/v4/associations/{from}/{to}/batch/read: 200 with per-result paging, 207 with errors, 400', async () => {
    const company = emu.state.hubspotIdOf('acc_000001')!;
    const read = (inputs: unknown[]) => call('/crm/v4/associations/companies/contacts/batch/read', { method: 'POST', body: JSON.stringify({ inputs }) });
    const ok = await read([{ id: company }]);
    expect(ok.status).toBe(200);
    conforms(spec.batchResponsePublicAssociationMultiWithLabel, ok.body);
    const after = (ok.body as { results: Array<{ paging?: { next: { after: string } } }> }).results[0]!.paging!.next.after;
    conforms(spec.batchResponsePublicAssociationMultiWithLabel, (await read([{ id: company, after }])).body);
    // a contact with no deal: 207, NO_ASSOCIATIONS_FOUND per record
    const partial = await call('/crm/v4/associations/contacts/deals/batch/read', { method: 'POST', body: JSON.stringify({ inputs: [{ id: emu.state.hubspotIdOf('con_000001') }] }) });
    expect(partial.status).toBe(207);
    conforms(spec.batchResponsePublicAssociationMultiWithLabelWithErrors, partial.body);
    const refused = await read([{ id: company, after: '2' }]);
    expect(refused.status).toBe(400);
    conforms(spec.error, refused.body);
  });

  it('the restated schemas name every field of @hubspot/api-client\'s codegen models (generated from the same specs)', () => {
    const sdk: Record<string, Record<string, { attributeTypeMap: Array<{ baseName: string }> }>> = { events: eventModels as never, associations: associationModels as never };
    const missing: string[] = [];
    for (const [key, schema] of Object.entries(spec.models)) {
      const [group, model] = key.split(':') as [string, string];
      const declared = Object.keys((schema as { properties?: object }).properties ?? {});
      const sdkFields = sdk[group]![model]?.attributeTypeMap.map((a) => a.baseName);
      expect(sdkFields, `${key} is not a model of the SDK`).toBeDefined();
      for (const f of sdkFields!) if (!declared.includes(f)) missing.push(`${key}.${f}`);
    }
    expect(missing).toEqual([]);
  });
});

import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubSpotEmulator, type HubSpotEmulator } from '../../src/emulators/hubspot/index.js';
import { smallMarket, t0 } from './market-fixtures.js';

const token = 'pat-test';
let emu: HubSpotEmulator;
let client: Client;

beforeAll(async () => {
  emu = await startHubSpotEmulator({ tokens: [token], now: () => t0 + 86_400_000 });
  for (const e of smallMarket(1_234)) emu.state.apply(e);
  client = new Client({ accessToken: token, basePath: emu.url, numberOfApiCallRetries: 1 });
});
afterAll(() => emu.stop());

describe('HubSpot emulator: objects through @hubspot/api-client', () => {
  it('pages through 1,234 contacts with paging.next.after and no duplicates', async () => {
    const all = await client.crm.contacts.getAll(100, undefined, ['email', 'hs_persona']);
    expect(all).toHaveLength(1_234);
    expect(new Set(all.map((c) => c.id)).size).toBe(1_234);
    expect(all[0]!.properties.hs_persona).toBe('persona_2');
    expect(all[0]!.createdAt).toBeInstanceOf(Date);
  });

  it('maps market ids both ways and returns the primary company association twice (labeled + unlabeled)', async () => {
    const id = emu.state.hubspotIdOf('con_000007')!;
    expect(emu.state.marketIdOf(id)).toBe('con_000007');
    const c = await client.crm.contacts.basicApi.getById(id, ['email', 'associatedcompanyid'], undefined, ['companies']);
    const types = c.associations!.companies!.results.map((r) => r.type).sort();
    expect(types).toEqual(['contact_to_company', 'contact_to_company_unlabeled']);
    expect(emu.state.marketIdOf(c.associations!.companies!.results[0]!.id)).toBe('acc_000008');
    const v4 = await client.crm.associations.v4.basicApi.getPage('contacts', id, 'companies');
    expect(v4.results[0]!.associationTypes.map((t) => t.typeId).sort()).toEqual([1, 279]);
  });

  it('searches by a lastmodifieddate window (BETWEEN and GTE/LT agree)', async () => {
    const from = t0 + 100 * 60_000;
    const to = t0 + 199 * 60_000;
    const between = await client.crm.contacts.searchApi.doSearch({
      filterGroups: [{ filters: [{ propertyName: 'lastmodifieddate', operator: 'BETWEEN' as never, value: String(from), highValue: String(to) }] }],
      sorts: ['lastmodifieddate'],
      properties: ['email'],
      limit: 200,
      after: '0',
    });
    expect(between.total).toBe(100);
    const range = await client.crm.contacts.searchApi.doSearch({
      filterGroups: [{ filters: [
        { propertyName: 'hs_lastmodifieddate', operator: 'GTE' as never, value: new Date(from).toISOString() },
        { propertyName: 'hs_lastmodifieddate', operator: 'LT' as never, value: String(to + 1) },
      ] }],
      limit: 10,
    } as never);
    expect(range.total).toBe(100);
    expect(between.results[0]!.updatedAt.getTime()).toBe(from);
  });

  it('answers 400 when search paging goes past 10,000 results', async () => {
    const err = await client.crm.contacts.searchApi
      .doSearch({ filterGroups: [], limit: 100, after: '10000' } as never)
      .catch((e: { code: number; body: { category: string } }) => e);
    expect((err as { code: number }).code).toBe(400);
    expect((err as { body: { category: string } }).body.category).toBe('VALIDATION_ERROR');
  });

  it('creates a custom property that then appears and can be written', async () => {
    await client.crm.properties.coreApi.create('contacts', { name: 'favorite_color', label: 'Favorite color', type: 'string' as never, fieldType: 'text' as never, groupName: 'contactinformation' });
    const props = await client.crm.properties.coreApi.getAll('contacts');
    expect(props.results.map((p) => p.name)).toContain('favorite_color');
    const c = await client.crm.contacts.basicApi.create({ properties: { email: 'new@x.example', favorite_color: 'teal' }, associations: [] });
    expect(c.properties.favorite_color).toBe('teal');
  });

  it('rejects an unknown property with PROPERTY_DOESNT_EXIST', async () => {
    const err = await client.crm.contacts.basicApi.create({ properties: { nope: 'x' }, associations: [] }).catch((e) => e);
    expect(err.code).toBe(400);
    expect(err.body.message).toContain('PROPERTY_DOESNT_EXIST');
  });

  it('batch upsert by email: 207 with per-record errors, the valid records written', async () => {
    const existing = emu.state.hubspotIdOf('con_000003')!;
    const res = await fetch(`${emu.url}/crm/v3/objects/contacts/batch/upsert`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ inputs: [
        { id: 'person3@account4.example', idProperty: 'email', properties: { jobtitle: 'CMO' } },
        { id: 'brand-new@x.example', idProperty: 'email', properties: { firstname: 'Bran' } },
        { id: 'bad@x.example', idProperty: 'email', properties: { lifecyclestage: 'not-a-stage' } },
      ] }),
    });
    expect(res.status).toBe(207);
    const body = (await res.json()) as any;
    expect(body.numErrors).toBe(1);
    expect(body.errors[0].context.ids).toEqual(['bad@x.example']);
    const byNew = Object.fromEntries(body.results.map((r: { id: string; new: boolean }) => [r.id, r.new]));
    expect(byNew[existing]).toBe(false);
    expect(Object.values(byNew)).toContain(true);
    const updated = await client.crm.contacts.basicApi.getById(existing, ['jobtitle']);
    expect(updated.properties.jobtitle).toBe('CMO');
    // the SDK accepts the 207 too
    const viaSdk = await client.crm.contacts.batchApi.upsert({ inputs: [{ id: 'bad2@x.example', idProperty: 'email', properties: { lifecyclestage: 'nope' } }] });
    expect((viaSdk as { errors?: unknown[] }).errors).toHaveLength(1);
  });

  it('batch read reports missing ids as a 207 OBJECT_NOT_FOUND error', async () => {
    const id = emu.state.hubspotIdOf('con_000010')!;
    const res = await client.crm.contacts.batchApi.read({ inputs: [{ id }, { id: '999' }], properties: ['email'], propertiesWithHistory: [] });
    expect(res.results.map((r) => r.id)).toEqual([id]);
    expect((res as { errors?: Array<{ category: string }> }).errors![0]!.category).toBe('OBJECT_NOT_FOUND');
  });

  it('merge: the merged id resolves to the primary and the loser is listed as archived', async () => {
    const primary = emu.state.hubspotIdOf('con_000020')!;
    const loser = emu.state.hubspotIdOf('con_000021')!;
    await client.crm.contacts.basicApi.merge({ primaryObjectId: primary, objectIdToMerge: loser });
    const viaLoser = await client.crm.contacts.basicApi.getById(loser, ['hs_merged_object_ids']);
    expect(viaLoser.id).toBe(primary);
    expect(viaLoser.properties.hs_merged_object_ids).toContain(loser);
    const archived = await client.crm.contacts.getAll(100, undefined, undefined, undefined, undefined, true);
    expect(archived.map((c) => c.id)).toContain(loser);
    const live = await client.crm.contacts.getAll(100);
    expect(live.map((c) => c.id)).not.toContain(loser);
  });

  it('market contact_merged and deleted events do the same', () => {
    const winner = emu.state.hubspotIdOf('con_000030')!;
    const loser = emu.state.hubspotIdOf('con_000031')!;
    emu.state.apply({ kind: 'contact_merged', winnerId: 'con_000030', loserId: 'con_000031', at: t0 + 5 });
    expect(emu.state.resolve('contacts', loser)!.id).toBe(winner);
    emu.state.apply({ kind: 'deleted', entity: 'contact', id: 'con_000032', at: t0 + 6 });
    expect(emu.state.findLive('contacts', emu.state.hubspotIdOf('con_000032')!)).toBeUndefined();
  });

  it('DELETE archives: GET 404, GET archived=true returns it with archivedAt', async () => {
    const id = emu.state.hubspotIdOf('con_000040')!;
    await client.crm.contacts.basicApi.archive(id);
    const err = await client.crm.contacts.basicApi.getById(id).catch((e) => e);
    expect(err.code).toBe(404);
    const archived = await client.crm.contacts.basicApi.getById(id, undefined, undefined, undefined, true);
    expect(archived.archived).toBe(true);
    expect(archived.archivedAt).toBeInstanceOf(Date);
  });

  it('malformed JSON and a wrong body shape get HubSpot 400 bodies', async () => {
    const post = (body: string) =>
      fetch(`${emu.url}/crm/v3/objects/contacts/search`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });
    const bad = await post('{"filterGroups": [');
    expect(bad.status).toBe(400);
    const b = (await bad.json()) as any;
    expect(b).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    expect(b.message).toMatch(/^Invalid input JSON on line 1/);
    expect(b.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    const shape = await post('{"limit": "ten"}');
    expect(shape.status).toBe(400);
    expect(((await shape.json()) as any).message).toContain('PublicObjectSearchRequest');
    const unknownType = await fetch(`${emu.url}/crm/v3/objects/widgets`, { headers: { authorization: `Bearer ${token}` } });
    expect(unknownType.status).toBe(400);
    expect(((await unknownType.json()) as any).message).toBe('Unable to infer object type from: widgets');
  });
});

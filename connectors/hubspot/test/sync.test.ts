import { afterEach, describe, expect, it } from 'vitest';
import { checkConnectors, readCheckpoint, syncStream } from '@revloop/core';
import { company, contact, deal, MIN, NAME, rows, T0, world, type World } from './helpers.js';

let w: World;
afterEach(async () => w?.close());

describe('hubspot: first sync and mapping', () => {
  it('check: a good token passes; a bad one says it was refused and how to fix it', async () => {
    w = await world();
    const good = await w.runtime();
    expect(await checkConnectors(good)).toMatchObject([{ connector: NAME, ok: true }]);
    const bad = await w.runtime({ accessToken: 'pat-na1-wrong' });
    const [check] = await checkConnectors(bad);
    expect(check!.ok).toBe(false);
    expect(check!.message).toMatch(/refused/);
    expect(check!.message).toMatch(/Private apps/);
  });

  it('syncs companies, contacts (linked to the primary company once) and deals (amount in micros, won/lost from the stage)', async () => {
    w = await world();
    const c1 = company(w.em, 1);
    const c2 = company(w.em, 2);
    const ids = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((n) => contact(w.em, n, 1 + (n % 2)));
    const won = deal(w.em, 1, 1, 1, 'closed_won', 1234.56);
    const lost = deal(w.em, 2, 2, undefined, 'closed_lost', 99.999999);
    const open = deal(w.em, 3, 2, 4, 'qualification', 10);
    w.clock.advance(MIN);
    const runtime = await w.runtime();
    for (const s of ['companies', 'contacts', 'deals']) expect((await syncStream(runtime, NAME, s)).status).toBe('succeeded');

    const accounts = await rows(runtime, 'accounts');
    expect(accounts).toHaveLength(2);
    const acme = accounts.find((a) => a.name === 'Account 1')!;
    expect(acme).toMatchObject({ domain: 'acct1.example', industry: 'computer software', employees: 101, region: 'EMEA', deleted: 0 });
    const contacts = await rows(runtime, 'contacts');
    expect(contacts).toHaveLength(12);
    const accountIdOf = new Map([[c1, await runtime.store.resolveId(NAME, 'account', c1)], [c2, await runtime.store.resolveId(NAME, 'account', c2)]]);
    const first = contacts.find((c) => c.email === 'person1@acct2.example')!;
    expect(first).toMatchObject({ first_name: 'First1', last_name: 'Last1', title: 'VP Marketing', lifecycle_stage: 'mql', persona: 'persona_2' });
    expect(first.account_id).toBe(accountIdOf.get(c2));
    // the primary company is listed twice by v3 associations; raw keeps it once
    expect(JSON.parse(first.raw!).associations.companies).toEqual([c2]);
    expect(ids).toHaveLength(12);

    const opps = await rows(runtime, 'opportunities');
    const byName = new Map(opps.map((o) => [o.name, o]));
    expect(byName.get('Deal 1')).toMatchObject({ stage: 'closedwon', amount_micros: 1_234_560_000, is_closed: 1, is_won: 1, close_date: '2025-03-31' });
    expect(byName.get('Deal 2')).toMatchObject({ stage: 'closedlost', amount_micros: 99_999_999, is_closed: 1, is_won: 0 });
    expect(byName.get('Deal 3')).toMatchObject({ is_closed: 0, is_won: 0, amount_micros: 10_000_000 });
    expect(byName.get('Deal 1')!.account_id).toBe(accountIdOf.get(c1));
    expect(byName.get('Deal 1')!.contact_id).toBe(await runtime.store.resolveId(NAME, 'contact', ids[0]!));
    expect(byName.get('Deal 2')!.contact_id).toBeNull();
    expect([won, lost, open].every(Boolean)).toBe(true);
    expect(await readCheckpoint(runtime.store, NAME, 'contacts')).toMatchObject({ phase: 'idle', since: T0 + MIN });
  });
});

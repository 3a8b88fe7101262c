// HubSpot's own paging, against the emulator's strict mode (its default): web events per record with
// the opaque `after` token, email events with the `offset` token, association batch reads with a
// result's own `paging` (issue #26, items 3–5). Each failed on the connector that counted records.
import { afterEach, describe, expect, it } from 'vitest';
import { checkConnectors, readCheckpoint, syncStream } from '@revloop/core';
import { TOKEN } from './helpers.js';
import { company, contact, deal, MIN, NAME, pad, rows, world, type World } from './helpers.js';

let w: World;
afterEach(async () => w?.close());

function signal(n: number, type: 'page_view' | 'pricing_visit' | 'email_open', contactN: number | undefined, companyN: number, at: number) {
  w.em.state.apply({ kind: 'signal', signal: { id: `sig_${n}`, accountId: `acc_${pad(companyN)}`, ...(contactN ? { contactId: `con_${pad(contactN)}` } : {}), type, topic: 'roi', occurredAt: at } });
}

describe('hubspot: vendor paging', () => {
  it('web events: read per record (objectType + objectId), pages followed by the opaque paging.next.after token', async () => {
    w = await world();
    company(w.em, 1);
    company(w.em, 2);
    // 12 contacts (more than one search page of 10) with 3 events each, one contact with 250 (3 event pages)
    for (let n = 1; n <= 13; n++) contact(w.em, n, 1);
    const at = w.clock.now();
    let s = 0;
    for (let n = 1; n <= 12; n++) for (let i = 0; i < 3; i++) signal(s++, 'page_view', n, 1, at + s);
    for (let i = 0; i < 250; i++) signal(s++, 'pricing_visit', 13, 1, at + s);
    // a visit of the company alone (no known contact)
    signal(s++, 'page_view', undefined, 2, at + s);
    w.clock.advance(MIN);
    const runtime = await w.runtime();
    const run = await syncStream(runtime, NAME, 'web_events');
    expect(run.status).toBe('succeeded');
    expect(run.read).toBe(12 * 3 + 250 + 1);
    const signals = await rows(runtime, 'signals');
    expect(new Set(signals.map((r) => r.id)).size).toBe(287);
    const contact13 = await runtime.store.resolveId(NAME, 'contact', w.em.state.hubspotIdOf('con_000013')!);
    expect(signals.filter((r) => r.contact_id === contact13 && r.type === 'pricing_visit')).toHaveLength(250);
    const account2 = await runtime.store.resolveId(NAME, 'account', w.em.state.hubspotIdOf('acc_000002')!);
    expect(signals.filter((r) => r.account_id === account2)).toHaveLength(1);
    expect(await readCheckpoint(runtime.store, NAME, 'web_events')).toEqual({ since: w.clock.now() });

    // incremental: only the new event of one contact, none read twice
    signal(s++, 'page_view', 5, 1, w.clock.now());
    w.clock.advance(MIN);
    expect((await syncStream(runtime, NAME, 'web_events')).read).toBe(1);
  });

  it('web events: a checkpoint written by the counting version (run.offset) resumes by reading its part again', async () => {
    w = await world();
    company(w.em, 1);
    contact(w.em, 1, 1);
    const at = w.clock.now();
    for (let i = 0; i < 5; i++) signal(i, 'page_view', 1, 1, at + i);
    w.clock.advance(MIN);
    const runtime = await w.runtime();
    const legacy = { since: 0, run: { from: 0, until: w.clock.now(), part: 0, offset: 3 } };
    await runtime.store.db.insertInto('sync_state').values({ connector: NAME, stream: 'web_events', checkpoint: JSON.stringify(legacy), updated_at: 0 }).execute();
    const run = await syncStream(runtime, NAME, 'web_events');
    expect(run.status).toBe('succeeded');
    expect((await rows(runtime, 'signals')).length).toBe(5);
  });

  it('email events: the offset token of each answer is sent back (2,500 opens: three pages of 1,000)', async () => {
    w = await world();
    company(w.em, 1);
    contact(w.em, 1, 1);
    const at = w.clock.now();
    for (let i = 0; i < 2_500; i++) signal(i, 'email_open', 1, 1, at + i);
    w.clock.advance(MIN);
    const runtime = await w.runtime();
    const run = await syncStream(runtime, NAME, 'email_events');
    expect(run.status).toBe('succeeded');
    expect(run.read).toBe(2_500);
    const signals = await rows(runtime, 'signals');
    expect(new Set(signals.map((r) => r.id)).size).toBe(2_500);
    expect(signals.every((r) => r.type === 'email_open')).toBe(true);
  });

  it('associations: a batch-read result with its own paging is followed (the primary company is on its second page)', async () => {
    w = await world({ associationPageSize: 2 });
    for (let n = 1; n <= 4; n++) company(w.em, n);
    contact(w.em, 1, 4);
    const dealId = deal(w.em, 1, 4, 1, 'qualification');
    w.clock.advance(MIN);
    const runtime = await w.runtime();
    await syncStream(runtime, NAME, 'companies');
    await syncStream(runtime, NAME, 'deals');
    // three more (unlabelled) companies with lower ids than the primary: the batch read answers the
    // deal's companies in pages of 2, the primary (company 4) on the second
    for (let n = 1; n <= 3; n++) w.em.state.associations.associate('deals', dealId, 'companies', w.em.state.hubspotIdOf(`acc_${pad(n)}`)!, false);
    w.em.state.update('deals', dealId, { amount: '99' });
    w.clock.advance(MIN);
    const run = await syncStream(runtime, NAME, 'deals');
    expect(run.status).toBe('succeeded');
    const [opp] = await rows(runtime, 'opportunities');
    expect(opp!.amount_micros).toBe(99_000_000);
    expect(opp!.account_id).toBe(await runtime.store.resolveId(NAME, 'account', w.em.state.hubspotIdOf('acc_000004')!));
  });

  it('a token without the content scope: check names it, and email_events fails with HUBSPOT_SCOPE_MISSING and the fix', async () => {
    w = await world({ tokenScopes: { [TOKEN]: ['crm.objects.contacts.read', 'crm.objects.companies.read'] } });
    company(w.em, 1);
    contact(w.em, 1, 1);
    signal(1, 'email_open', 1, 1, w.clock.now());
    w.clock.advance(MIN);
    const runtime = await w.runtime();
    const [check] = await checkConnectors(runtime);
    expect(check!.ok).toBe(false);
    expect(check!.message).toMatch(/lacks the scope content/);
    expect(check!.message).toMatch(/Private apps → your app → Scopes/);
    await expect(syncStream(runtime, NAME, 'email_events')).rejects.toMatchObject({ code: 'HUBSPOT_SCOPE_MISSING', message: expect.stringMatching(/lacks the scope content, needed by email_events/), fix: expect.stringMatching(/add content/) });
  });

  it('email events: an interrupted run whose saved offset token has expired reads that part again (nothing lost)', async () => {
    w = await world({ emailOffsetTtlMs: 3_600_000 });
    company(w.em, 1);
    contact(w.em, 1, 1);
    const at = w.clock.now();
    for (let i = 0; i < 1_500; i++) signal(i, 'email_open', 1, 1, at + i);
    w.clock.advance(MIN);
    const until = w.clock.now();
    // what an interrupted run saved: the token after the first page of opens
    const first = (await (await fetch(`${w.em.url}/email/public/v1/events?startTimestamp=0&endTimestamp=${until - 1}&eventType=OPEN&limit=1000`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { offset: string };
    const runtime = await w.runtime();
    await runtime.store.db.insertInto('sync_state').values({ connector: NAME, stream: 'email_events', checkpoint: JSON.stringify({ since: 0, run: { from: 0, until, part: 0, token: first.offset } }), updated_at: 0 }).execute();
    w.clock.advance(2 * 3_600_000);
    const run = await syncStream(runtime, NAME, 'email_events');
    expect(run.status).toBe('succeeded');
    expect(new Set((await rows(runtime, 'signals')).map((r) => r.id)).size).toBe(1_500);
  });

  it('web events: the events of a contact merged away are read with its survivor and linked to it', async () => {
    w = await world();
    company(w.em, 1);
    const survivor = contact(w.em, 1, 1);
    const loser = contact(w.em, 2, 1);
    const at = w.clock.now();
    for (let i = 0; i < 3; i++) signal(i, 'page_view', 2, 1, at + i);
    signal(3, 'pricing_visit', 1, 1, at + 3);
    w.em.state.merge(survivor, loser, at + 10);
    w.clock.advance(MIN);
    const runtime = await w.runtime();
    expect((await syncStream(runtime, NAME, 'web_events')).read).toBe(4);
    const survivorEntity = await runtime.store.resolveId(NAME, 'contact', survivor);
    expect((await rows(runtime, 'signals')).map((r) => r.contact_id)).toEqual([survivorEntity, survivorEntity, survivorEntity, survivorEntity]);
  });

  it('associations embedded in a list read: a type that came cut (paging.next) is read in full (first sync)', async () => {
    w = await world({ associationPageSize: 2 });
    for (let n = 1; n <= 4; n++) company(w.em, n);
    contact(w.em, 1, 4);
    const dealId = deal(w.em, 1, 4, 1, 'qualification');
    // companies 1..3 (lower ids, unlabelled) come before the primary (company 4): the embedded page of 2 holds none of it
    for (let n = 1; n <= 3; n++) w.em.state.associations.associate('deals', dealId, 'companies', w.em.state.hubspotIdOf(`acc_${pad(n)}`)!, false);
    w.clock.advance(MIN);
    const runtime = await w.runtime();
    await syncStream(runtime, NAME, 'companies');
    expect((await syncStream(runtime, NAME, 'deals')).status).toBe('succeeded');
    const [opp] = await rows(runtime, 'opportunities');
    expect(opp!.account_id).toBe(await runtime.store.resolveId(NAME, 'account', w.em.state.hubspotIdOf('acc_000004')!));
  });
});

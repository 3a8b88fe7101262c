import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore, type Store, type UnifiedRecord } from '@revloop/store';
import { identitySchema, membersOf, normalizeDomain, normalizeEmail, resolveIdentities, resolvedIdsOf, undoIdentityEvent, approveHeldMerge } from '../src/index.js';

const T0 = Date.UTC(2026, 0, 1);
let store: Store;

async function open(): Promise<Store> {
  store = openSqliteStore({ path: ':memory:' });
  await store.migrate();
  return store;
}
afterEach(async () => store?.close());

const account = (systemId: string, domain: string | null, extra: Partial<UnifiedRecord> = {}): UnifiedRecord => ({ systemId, fields: { name: `Co ${systemId}`, domain }, ...extra });
const contact = (systemId: string, email: string, account: string): UnifiedRecord => ({ systemId, fields: { email }, links: { account } });

async function write(system: string, entityType: 'account' | 'contact' | 'opportunity', records: UnifiedRecord[], at = T0): Promise<void> {
  await store.applyBatch({ system, entityType, records, syncedAt: at });
}
async function rowId(system: string, type: string, systemId: string): Promise<string> {
  return (await store.resolveId(system, type as 'account', systemId))!;
}
async function entityOf(system: string, type: 'account' | 'contact', systemId: string): Promise<string> {
  const id = await rowId(system, type, systemId);
  return (await resolvedIdsOf(store, type, [id])).get(id)!;
}

describe('normalization', () => {
  it('reduces spellings of one domain and one mailbox to one key', () => {
    expect(normalizeDomain('https://www.Acme.COM:443/about?x=1')).toBe('acme.com');
    expect(normalizeDomain('acme.com.')).toBe('acme.com');
    expect(normalizeDomain('not a domain')).toBeUndefined();
    const rules = { plusAddressing: true, ignoreDotsFor: ['gmail.com'] };
    expect(normalizeEmail(' John.Doe+webinar@ACME.com ', rules)).toBe('john.doe@acme.com');
    expect(normalizeEmail('j.o.h.n@googlemail.com', rules)).toBe('john@gmail.com');
    expect(normalizeEmail('john.doe@acme.com', { plusAddressing: false, ignoreDotsFor: [] })).toBe('john.doe@acme.com');
    expect(normalizeEmail('nobody', rules)).toBeUndefined();
  });
});

describe('resolveIdentities', () => {
  it('links one company and one person across two CRMs; signals and decisions read the resolved entity', async () => {
    await open();
    await write('hubspot', 'account', [account('h1', 'acme.com'), account('h2', 'globex.com'), account('h3', 'gmail.com')]);
    await write('salesforce', 'account', [account('s1', 'https://www.ACME.com/'), account('s2', 'initech.com'), account('s3', 'gmail.com')]);
    await write('hubspot', 'contact', [contact('hc1', 'Jane.Roe+news@acme.com', 'h1')]);
    await write('salesforce', 'contact', [contact('sc1', 'jane.roe@ACME.com', 's1')]);
    const summary = await resolveIdentities(store, { now: T0 + 1 });
    expect(await entityOf('hubspot', 'account', 'h1')).toBe(await entityOf('salesforce', 'account', 's1'));
    expect(await entityOf('hubspot', 'account', 'h2')).not.toBe(await entityOf('salesforce', 'account', 's2'));
    // a personal mailbox domain is no company
    expect(await entityOf('hubspot', 'account', 'h3')).not.toBe(await entityOf('salesforce', 'account', 's3'));
    expect(await entityOf('hubspot', 'contact', 'hc1')).toBe(await entityOf('salesforce', 'contact', 'sc1'));
    expect(summary.accounts.entities).toBe(5);
    expect(summary.contacts.entities).toBe(1);
    const golden = await store.db.selectFrom('resolved_contacts').selectAll().executeTakeFirstOrThrow();
    expect(golden.account_id).toBe(await entityOf('hubspot', 'account', 'h1'));
    expect(JSON.parse(golden.systems)).toEqual(['hubspot', 'salesforce']);
    const acme = await entityOf('hubspot', 'account', 'h1');
    const { members } = await membersOf(store, 'account', [acme]);
    expect(members.get(acme)!.sort()).toEqual([await rowId('hubspot', 'account', 'h1'), await rowId('salesforce', 'account', 's1')].sort());
    const events = await store.db.selectFrom('identity_events').selectAll().execute();
    expect(events.filter((e) => e.kind === 'merge')).toHaveLength(2); // the account and the contact
  });

  it('survivorship: source priority per field, else the most recent row', async () => {
    await open();
    await write('hubspot', 'account', [account('h1', 'acme.com', { fields: { name: 'Acme (HubSpot)', domain: 'acme.com', industry: 'Software' }, updatedAt: T0 + 5 })]);
    await write('salesforce', 'account', [account('s1', 'acme.com', { fields: { name: 'Acme Corp', domain: 'acme.com', industry: null }, updatedAt: T0 })]);
    const config = identitySchema.parse({ sourcePriority: ['salesforce', 'hubspot'], survivorship: { industry: 'recent' } });
    await resolveIdentities(store, { now: T0 + 1, config });
    const golden = await store.db.selectFrom('resolved_accounts').selectAll().executeTakeFirstOrThrow();
    expect(golden.name).toBe('Acme Corp'); // salesforce first
    expect(golden.industry).toBe('Software'); // the only non-empty value
    const recent = identitySchema.parse({});
    await resolveIdentities(store, { now: T0 + 2, config: recent, full: true });
    expect((await store.db.selectFrom('resolved_accounts').select('name').executeTakeFirstOrThrow()).name).toBe('Acme (HubSpot)');
  });

  it('matches through extra domains and a mapping field that holds the other CRM id', async () => {
    await open();
    await write('hubspot', 'account', [
      account('h1', 'acme.com', { attributes: { additional_domains: 'acme.io; acme.de' } }),
      account('h2', 'globex.com', { attributes: { salesforce_account_id: '001XYZ' } }),
    ]);
    await write('salesforce', 'account', [account('s1', 'acme.io'), account('001XYZ', 'globex-corp.com')]);
    const config = identitySchema.parse({ accounts: { mappingFields: [{ system: 'hubspot', attribute: 'salesforce_account_id', refersTo: 'salesforce' }] } });
    await resolveIdentities(store, { now: T0 + 1, config });
    expect(await entityOf('hubspot', 'account', 'h1')).toBe(await entityOf('salesforce', 'account', 's1'));
    expect(await entityOf('hubspot', 'account', 'h2')).toBe(await entityOf('salesforce', 'account', '001XYZ'));
  });

  it('incremental: only what changed is examined; a changed domain splits, and the split is recorded and undoable', async () => {
    await open();
    const many = Array.from({ length: 200 }, (_, i) => account(`h${i}`, `co${i}.com`));
    await write('hubspot', 'account', many);
    await write('salesforce', 'account', Array.from({ length: 200 }, (_, i) => account(`s${i}`, `co${i}.com`)));
    await resolveIdentities(store, { now: T0 + 1 });
    const before = await entityOf('hubspot', 'account', 'h7');
    expect(await entityOf('salesforce', 'account', 's7')).toBe(before);

    // nothing new: nothing examined
    const idle = await resolveIdentities(store, { now: T0 + 2 });
    expect(idle.accounts.changed).toBe(0);
    expect(idle.accounts.examined).toBe(0);

    // the Salesforce row of company 7 now names another domain: it leaves the cluster
    await write('salesforce', 'account', [account('s7', 'other7.com')], T0 + 10);
    const run = await resolveIdentities(store, { now: T0 + 11 });
    expect(run.accounts.changed).toBe(1);
    expect(run.accounts.examined).toBeLessThanOrEqual(3);
    expect(run.accounts.splits).toBe(1);
    expect(await entityOf('salesforce', 'account', 's7')).not.toBe(await entityOf('hubspot', 'account', 'h7'));
    expect(await entityOf('hubspot', 'account', 'h7')).toBe(before); // the entity id is stable for the rows that stay

    // a person undoes the split: the rows are one entity again, and stay so on the next runs
    const split = await store.db.selectFrom('identity_events').select('id').where('kind', '=', 'split').executeTakeFirstOrThrow();
    await undoIdentityEvent(store, split.id, { now: T0 + 12 });
    await resolveIdentities(store, { now: T0 + 13 });
    expect(await entityOf('salesforce', 'account', 's7')).toBe(await entityOf('hubspot', 'account', 'h7'));
    await write('salesforce', 'account', [account('s7', 'other7b.com')], T0 + 20);
    await resolveIdentities(store, { now: T0 + 21 });
    expect(await entityOf('salesforce', 'account', 's7')).toBe(await entityOf('hubspot', 'account', 'h7'));
  });

  it('holds a merge of accounts with different open opportunities in different CRMs until a person approves it', async () => {
    await open();
    await write('hubspot', 'account', [account('h1', 'acme.com'), account('h2', 'globex.com')]);
    await write('salesforce', 'account', [account('s1', 'acme.com'), account('s2', 'globex.com')]);
    // acme: different deals in each CRM (held); globex: the same deal mirrored in both (merged)
    await write('hubspot', 'opportunity', [{ systemId: 'd1', fields: { name: 'Acme expansion', is_closed: 0, is_won: 0 }, links: { account: 'h1' } }, { systemId: 'd2', fields: { name: 'Globex new', is_closed: 0, is_won: 0 }, links: { account: 'h2' } }]);
    await write('salesforce', 'opportunity', [{ systemId: 'o1', fields: { name: 'Acme renewal', is_closed: 0, is_won: 0 }, links: { account: 's1' } }, { systemId: 'o2', fields: { name: 'Globex New', is_closed: 0, is_won: 0 }, links: { account: 's2' } }]);
    const run = await resolveIdentities(store, { now: T0 + 1 });
    expect(run.accounts.held).toBe(1);
    expect(await entityOf('hubspot', 'account', 'h1')).not.toBe(await entityOf('salesforce', 'account', 's1'));
    expect(await entityOf('hubspot', 'account', 'h2')).toBe(await entityOf('salesforce', 'account', 's2'));
    const held = await store.db.selectFrom('identity_events').selectAll().where('kind', '=', 'held').executeTakeFirstOrThrow();
    expect(held.reason).toMatch(/open opportunities in different CRMs/);
    await approveHeldMerge(store, held.id, { now: T0 + 2, by: 'revops@example.com' });
    await resolveIdentities(store, { now: T0 + 3 });
    expect(await entityOf('hubspot', 'account', 'h1')).toBe(await entityOf('salesforce', 'account', 's1'));
  });
});

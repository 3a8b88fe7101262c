import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSalesforceEmulator, type SalesforceEmulator } from '../../src/emulators/salesforce/index.js';
import { connect, feedContacts, raw, T0, contact } from './helpers.js';

describe('Salesforce emulator: SOQL query with jsforce', () => {
  let em: SalesforceEmulator;
  beforeAll(async () => {
    em = await startSalesforceEmulator();
    feedContacts(em, 5000, 10);
  });
  afterAll(() => em.stop());

  it('pages 5,000 Contacts in 2,000-record batches with autoFetch', async () => {
    const conn = connect(em);
    const batches: number[] = [];
    const records: any[] = [];
    await new Promise<void>((resolve, reject) => {
      const q = conn.query('SELECT Id, Email FROM Contact');
      q.on('fetch', () => batches.push(q.records?.length ?? 0));
      q.on('record', (r) => records.push(r));
      q.on('end', () => resolve());
      q.on('error', reject);
      q.run({ autoFetch: true, maxFetch: 10_000 });
    });
    expect(records).toHaveLength(5000);
    expect(new Set(records.map((r) => r.Id)).size).toBe(5000);
    expect(batches).toHaveLength(3); // 2000 + 2000 + 1000
    expect(records[0].attributes).toEqual({ type: 'Contact', url: `/services/data/v62.0/sobjects/Contact/${records[0].Id}` });
  });

  it('pages manually via nextRecordsUrl and queryMore, honouring Sforce-Query-Options batchSize', async () => {
    const conn = connect(em);
    const first = await conn.request<any>({ method: 'GET', url: '/services/data/v62.0/query?q=' + encodeURIComponent('SELECT Id FROM Contact ORDER BY Email'), headers: { 'Sforce-Query-Options': 'batchSize=500' } });
    expect(first.totalSize).toBe(5000);
    expect(first.done).toBe(false);
    expect(first.records).toHaveLength(500);
    expect(first.nextRecordsUrl).toMatch(/^\/services\/data\/v62\.0\/query\/01g[A-Za-z0-9]{15}-500$/);
    const ids = first.records.map((r: any) => r.Id);
    let next: string | undefined = first.nextRecordsUrl;
    while (next) {
      const page = await conn.queryMore(next.split('/').pop()!);
      ids.push(...page.records.map((r: any) => r.Id));
      next = page.done ? undefined : page.nextRecordsUrl;
    }
    expect(ids).toHaveLength(5000);
    expect(new Set(ids).size).toBe(5000);
  });

  it('answers an unknown query locator with INVALID_QUERY_LOCATOR', async () => {
    const r = await raw(em, '/services/data/v62.0/query/01g8d0000000zzzAAA-2000');
    expect(r.status).toBe(400);
    expect(r.body[0].errorCode).toBe('INVALID_QUERY_LOCATOR');
  });

  it('filters on SystemModstamp where many records share one timestamp (ties), and orders by it then Id', async () => {
    const local = await startSalesforceEmulator();
    try {
      feedContacts(local, 30, 3, T0); // 30 contacts at T0
      for (let c = 31; c <= 60; c++) local.state.apply({ kind: 'contact', contact: contact(c, 1, T0 + 60_000) }); // 30 tied at T0+1min
      const conn = connect(local);
      const after = await conn.query<any>('SELECT Id, SystemModstamp FROM Contact WHERE SystemModstamp >= 2024-01-01T00:01:00Z ORDER BY SystemModstamp ASC, Id ASC');
      expect(after.totalSize).toBe(30);
      expect(new Set(after.records.map((r: any) => r.SystemModstamp))).toEqual(new Set(['2024-01-01T00:01:00.000+0000']));
      const strict = await conn.query<any>('SELECT Id FROM Contact WHERE SystemModstamp > 2024-01-01T00:01:00Z');
      expect(strict.totalSize).toBe(0); // a connector that uses ">" on its last cursor value loses the ties
      const sortedIds = [...after.records.map((r: any) => r.Id)].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
      expect(after.records.map((r: any) => r.Id)).toEqual(sortedIds);
      // keyset pagination inside the tie: (stamp = X AND Id > last) OR stamp > X
      const last = after.records[9].Id;
      const rest = await conn.query<any>(`SELECT Id FROM Contact WHERE (SystemModstamp = 2024-01-01T00:01:00Z AND Id > '${last}') OR SystemModstamp > 2024-01-01T00:01:00Z ORDER BY SystemModstamp, Id`);
      expect(rest.totalSize).toBe(20);
    } finally {
      await local.stop();
    }
  });

  it('supports IN, LIKE, !=, relationship fields, ORDER BY DESC, LIMIT and COUNT()', async () => {
    const conn = connect(em);
    const acc = em.state.idOf('acc_000003')!;
    const inAcc = await conn.query<any>(`SELECT Id, Account.Name, Email FROM Contact WHERE AccountId IN ('${acc}') AND Email LIKE 'PERSON1%' ORDER BY Email DESC LIMIT 5`);
    expect(inAcc.records).toHaveLength(5);
    for (const r of inAcc.records) {
      expect(r.Account.Name).toBe('Account 3');
      expect(r.Email.startsWith('person1')).toBe(true);
    }
    const emails = inAcc.records.map((r: any) => r.Email);
    expect(emails).toEqual([...emails].sort().reverse());
    const count = await conn.query('SELECT COUNT() FROM Contact WHERE AccountId != null');
    expect(count.totalSize).toBe(5000);
    expect(count.records).toEqual([]);
    const none = await conn.query('SELECT COUNT() FROM Contact WHERE Title != \'Director\'');
    expect(none.totalSize).toBe(0);
  });

  it('returns 400 INVALID_FIELD for an unknown column, with the Salesforce message', async () => {
    const conn = connect(em);
    const err: any = await conn.query('SELECT Id, Nope__c FROM Contact').then(() => null, (e) => e);
    expect(err.errorCode).toBe('INVALID_FIELD');
    expect(err.message).toContain("No such column 'Nope__c' on entity 'Contact'");
    expect(err.message).toContain('ERROR at Row:1:Column:12');
  });

  it('returns 400 MALFORMED_QUERY for bad syntax and for AND/OR mixed without parentheses', async () => {
    const conn = connect(em);
    const typo: any = await conn.query('SELECT Id FORM Contact').then(() => null, (e) => e);
    expect(typo.errorCode).toBe('MALFORMED_QUERY');
    const mixed: any = await conn.query("SELECT Id FROM Contact WHERE Email = 'a' AND Title = 'b' OR Title = 'c'").then(() => null, (e) => e);
    expect(mixed.errorCode).toBe('MALFORMED_QUERY');
    expect(mixed.message).toContain('unexpected token: OR');
  });

  it('rejects a quoted datetime and an unknown object the way Salesforce does', async () => {
    const quoted = await raw(em, '/services/data/v62.0/query?q=' + encodeURIComponent("SELECT Id FROM Contact WHERE SystemModstamp > '2024-01-01T00:00:00Z'"));
    expect(quoted.status).toBe(400);
    expect(quoted.body[0]).toMatchObject({ errorCode: 'INVALID_FIELD' });
    expect(quoted.body[0].message).toContain("must be of type dateTime and should not be enclosed in quotes");
    const unknown = await raw(em, '/services/data/v62.0/query?q=' + encodeURIComponent('SELECT Id FROM Widget__c'));
    expect(unknown.body[0].errorCode).toBe('INVALID_TYPE');
  });

  it('hides deleted records from query but not from queryAll', async () => {
    const local = await startSalesforceEmulator();
    try {
      feedContacts(local, 5, 1);
      local.state.apply({ kind: 'deleted', entity: 'contact', id: 'con_000002', at: T0 + 1000 });
      const conn = connect(local);
      expect((await conn.query('SELECT Id FROM Contact')).totalSize).toBe(4);
      const all = await conn.query<any>('SELECT Id, IsDeleted FROM Contact WHERE IsDeleted = true', { scanAll: true });
      expect(all.totalSize).toBe(1);
      expect(all.records[0].Id).toBe(local.state.idOf('con_000002'));
    } finally {
      await local.stop();
    }
  });
});

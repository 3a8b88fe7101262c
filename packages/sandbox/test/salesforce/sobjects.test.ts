import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSalesforceEmulator, type SalesforceEmulator } from '../../src/emulators/salesforce/index.js';
import { connect, feedContacts, raw, T0 } from './helpers.js';

const HOUR = 3_600_000;

describe('Salesforce emulator: sObject CRUD, describe, composite', () => {
  let em: SalesforceEmulator;
  beforeAll(async () => {
    em = await startSalesforceEmulator();
    feedContacts(em, 20, 2);
  });
  afterAll(() => em.stop());

  it('creates, reads, updates and deletes a Contact with 18-char 003 ids and clock timestamps', async () => {
    const conn = connect(em);
    em.clock.advance(HOUR);
    const accountId = em.state.idOf('acc_000001')!;
    const created: any = await conn.sobject('Contact').create({ LastName: 'Lovelace', FirstName: 'Ada', Email: 'ada@example.com', AccountId: accountId });
    expect(created.success).toBe(true);
    expect(created.id).toMatch(/^003[A-Za-z0-9]{15}$/);
    const read: any = await conn.sobject('Contact').retrieve(created.id);
    expect(read).toMatchObject({ Name: 'Ada Lovelace', AccountId: accountId, IsDeleted: false, CreatedDate: '2024-01-01T01:00:00.000+0000' });
    em.clock.advance(HOUR);
    await conn.sobject('Contact').update({ Id: created.id, Title: 'Countess' });
    const updated: any = await conn.sobject('Contact').retrieve(created.id);
    expect(updated.Title).toBe('Countess');
    expect(updated.SystemModstamp).toBe('2024-01-01T02:00:00.000+0000');
    expect(updated.CreatedDate).toBe('2024-01-01T01:00:00.000+0000');
    await conn.sobject('Contact').destroy(created.id);
    const gone: any = await conn.sobject('Contact').retrieve(created.id).then(() => null, (e) => e);
    expect(gone.errorCode).toBe('NOT_FOUND');
    expect(em.state.marketIdOf(created.id)).toBeUndefined();
    expect(em.state.marketIdOf(accountId)).toBe('acc_000001');
  });

  it('answers bad writes with Salesforce errors: missing required field, read-only field, bad reference, malformed JSON', async () => {
    const conn = connect(em);
    const missing: any = await conn.sobject('Contact').create({ FirstName: 'NoLast' }).then(() => null, (e) => e);
    expect(missing.errorCode).toBe('REQUIRED_FIELD_MISSING');
    expect(missing.message).toBe('Required fields are missing: [LastName]');
    const readOnly = await raw(em, '/services/data/v62.0/sobjects/Opportunity', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ Name: 'x', StageName: 'Prospecting', CloseDate: '2024-02-01', IsWon: true }) });
    expect(readOnly.status).toBe(400);
    expect(readOnly.body[0]).toMatchObject({ errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', fields: ['IsWon'] });
    const badRef = await raw(em, '/services/data/v62.0/sobjects/Contact', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ LastName: 'x', AccountId: em.state.idOf('con_000001') }) });
    expect(badRef.body[0].errorCode).toBe('MALFORMED_ID');
    const badJson = await raw(em, '/services/data/v62.0/sobjects/Contact', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{LastName:' });
    expect(badJson.status).toBe(400);
    expect(badJson.body[0].errorCode).toBe('JSON_PARSER_ERROR');
    const unknownType = await raw(em, '/services/data/v62.0/sobjects/Widget__c/describe');
    expect(unknownType.status).toBe(404);
    expect(unknownType.body).toEqual([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
  });

  it('derives IsWon/IsClosed from StageName', async () => {
    const conn = connect(em);
    const r: any = await conn.sobject('Opportunity').create({ Name: 'Big', StageName: 'Closed Won', CloseDate: '2024-02-01', Amount: 5000 });
    const opp: any = await conn.sobject('Opportunity').retrieve(r.id);
    expect(opp).toMatchObject({ IsWon: true, IsClosed: true, Amount: 5000, CloseDate: '2024-02-01' });
  });

  it('describes custom fields added through the state API; records carry their values and SOQL can select them', async () => {
    em.state.addCustomField('Contact', { name: 'Intent_Score__c', type: 'double', label: 'Intent Score' });
    const conn = connect(em);
    const d = await conn.sobject('Contact').describe();
    const f: any = d.fields.find((x: any) => x.name === 'Intent_Score__c');
    expect(f).toMatchObject({ custom: true, type: 'double', label: 'Intent Score' });
    expect(d.fields.find((x: any) => x.name === 'Email')).toMatchObject({ custom: false, type: 'email' });
    const id = em.state.idOf('con_000004')!;
    await conn.sobject('Contact').update({ Id: id, Intent_Score__c: 0.8 });
    const q = await conn.query<any>(`SELECT Id, Intent_Score__c FROM Contact WHERE Intent_Score__c > 0.5`);
    expect(q.records.map((r: any) => [r.Id, r.Intent_Score__c])).toEqual([[id, 0.8]]);
  });

  it('composite create reports per-record errors; allOrNone rolls back the valid ones', async () => {
    const conn = connect(em);
    const partial: any[] = await conn.sobject('Lead').create([{ LastName: 'A', Company: 'Co' }, { LastName: 'B' }, { LastName: 'C', Company: 'Co', Email: 'not-an-email' }]);
    expect(partial[0]).toMatchObject({ success: true, errors: [] });
    expect(partial[0].id).toMatch(/^00Q/);
    expect(partial[1]).toEqual({ success: false, errors: [{ statusCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [Company]', fields: ['Company'] }] });
    expect(partial[2].errors[0].statusCode).toBe('INVALID_EMAIL_ADDRESS');
    const before = em.state.count('Lead');
    const all: any[] = await conn.sobject('Lead').create([{ LastName: 'D', Company: 'Co' }, { LastName: 'E' }], { allOrNone: true });
    expect(all[0].errors[0].statusCode).toBe('ALL_OR_NONE_OPERATION_ROLLED_BACK');
    expect(all[1].errors[0].statusCode).toBe('REQUIRED_FIELD_MISSING');
    expect(em.state.count('Lead')).toBe(before);
  });

  it('composite update and delete return per-record results', async () => {
    const conn = connect(em);
    const [a, b] = [em.state.idOf('con_000005')!, em.state.idOf('con_000006')!];
    const upd: any[] = await conn.sobject('Contact').update([{ Id: a, Title: 'VP' }, { Id: b, Email: 'bad' }, { Id: '003xxxxxxxxxxxxxxx', Title: 'x' }]);
    expect(upd.map((r) => r.success)).toEqual([true, false, false]);
    expect(upd[1].errors[0].statusCode).toBe('INVALID_EMAIL_ADDRESS');
    expect(upd[2].errors[0].statusCode).toMatch(/MALFORMED_ID|INVALID_CROSS_REFERENCE_KEY/);
    const del: any[] = await conn.sobject('Contact').destroy([b, b]);
    expect(del[0]).toEqual({ id: b, success: true, errors: [] });
    expect(del[1].errors[0].statusCode).toBe('ENTITY_IS_DELETED');
  });

  it('rejects a collection of more than 200 records', async () => {
    const records = Array.from({ length: 201 }, (_, i) => ({ attributes: { type: 'Lead' }, LastName: `L${i}`, Company: 'Co' }));
    const r = await raw(em, '/services/data/v62.0/composite/sobjects', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ records }) });
    expect(r.status).toBe(400);
    expect(r.body[0].errorCode).toBe('EXCEEDED_ID_LIMIT');
  });
});

describe('Salesforce emulator: getUpdated / getDeleted', () => {
  it('lists updated ids and deleted records within the window, with latestDateCovered and earliestDateAvailable', async () => {
    const em = await startSalesforceEmulator();
    try {
      feedContacts(em, 10, 1, T0);
      em.clock.advance(2 * HOUR);
      const conn = connect(em);
      await conn.sobject('Contact').update({ Id: em.state.idOf('con_000003')!, Title: 'CTO' });
      em.state.apply({ kind: 'deleted', entity: 'contact', id: 'con_000007', at: T0 + 2 * HOUR });
      em.clock.advance(HOUR);
      const start = new Date(T0 + HOUR);
      const end = new Date(T0 + 10 * HOUR); // past "now": covered only up to now
      const updated: any = await conn.sobject('Contact').updated(start.toISOString(), end.toISOString());
      expect(updated.ids).toEqual([em.state.idOf('con_000003')]);
      expect(updated.latestDateCovered).toBe('2024-01-01T03:00:00.000+0000');
      const deleted: any = await conn.sobject('Contact').deleted(start.toISOString(), end.toISOString());
      expect(deleted.deletedRecords).toEqual([{ id: em.state.idOf('con_000007'), deletedDate: '2024-01-01T02:00:00.000+0000' }]);
      expect(deleted.earliestDateAvailable).toBeDefined();
      const everything: any = await conn.sobject('Contact').updated(new Date(T0).toISOString(), end.toISOString());
      expect(everything.ids).toHaveLength(9); // the deleted one is not "updated"
      em.clock.advance(40 * 24 * HOUR);
      const tooOld: any = await conn.sobject('Contact').updated(new Date(T0).toISOString(), end.toISOString()).then(() => null, (e) => e);
      expect(tooOld.errorCode).toBe('INVALID_REPLICATION_DATE');
    } finally {
      await em.stop();
    }
  });
});

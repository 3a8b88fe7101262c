import { describe, expect, it } from 'vitest';
import type { SimTreatment } from '../../src/market/types.js';
import { startSalesforceEmulator } from '../../src/emulators/salesforce/index.js';
import { connect, connectWithRefresh, feedContacts, opportunity, raw } from './helpers.js';

const HOUR = 3_600_000;

describe('Salesforce emulator: OAuth and sessions', () => {
  it('expires access tokens after tokenTtlMs on the emulator clock; jsforce refreshes through /services/oauth2/token by itself', async () => {
    const em = await startSalesforceEmulator({ faults: { tokenTtlMs: 2 * HOUR } });
    try {
      feedContacts(em, 3, 1);
      const conn = connectWithRefresh(em);
      let refreshed = 0;
      conn.on('refresh', () => refreshed++);
      expect((await conn.query('SELECT Id FROM Contact')).totalSize).toBe(3);
      em.clock.advance(2 * HOUR);
      const expired = await raw(em, '/services/data/v62.0/limits');
      expect(expired.status).toBe(401);
      expect(expired.body).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
      expect((await conn.query('SELECT Id FROM Contact')).totalSize).toBe(3);
      expect(refreshed).toBe(1);
      expect(conn.accessToken).not.toBe(em.accessToken);
      expect(conn.instanceUrl).toBe(em.url);
    } finally {
      await em.stop();
    }
  });

  it('answers a revoked refresh token with 400 invalid_grant, which jsforce surfaces', async () => {
    const em = await startSalesforceEmulator();
    try {
      const conn = connectWithRefresh(em);
      em.tokens.revoke(em.refreshToken); // also ends the access tokens issued from it
      const err: any = await conn.query('SELECT Id FROM Contact').then(() => null, (e) => e);
      // jsforce wraps the token endpoint's error: only the description survives, in the message
      expect(err.message).toBe('Unable to refresh session due to: expired access/refresh token');
      const direct = await fetch(`${em.url}/services/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: em.refreshToken, client_id: em.credentials.clientId }),
      });
      expect(direct.status).toBe(400);
      expect(await direct.json()).toEqual({ error: 'invalid_grant', error_description: 'expired access/refresh token' });
    } finally {
      await em.stop();
    }
  });

  it('supports the password grant and refuses wrong credentials', async () => {
    const em = await startSalesforceEmulator();
    try {
      const { Connection } = await import('jsforce');
      const login = new Connection({ oauth2: { loginUrl: em.url, clientId: em.credentials.clientId, clientSecret: em.credentials.clientSecret, redirectUri: 'http://127.0.0.1/cb' }, version: '62.0' });
      const info = await login.login(em.credentials.username, em.credentials.password);
      expect(info.organizationId).toBe('00D8d0000000001EAA');
      expect(login.instanceUrl).toBe(em.url);
      expect((await login.query('SELECT COUNT() FROM Account')).totalSize).toBe(0);
      const bad: any = await login.login(em.credentials.username, 'wrong').then(() => null, (e) => e);
      expect(bad.name).toBe('invalid_grant');
    } finally {
      await em.stop();
    }
  });
});

describe('Salesforce emulator: limits and faults', () => {
  it('enforces the daily API limit with 403 REQUEST_LIMIT_EXCEEDED and reports usage in /limits and Sforce-Limit-Info', async () => {
    const em = await startSalesforceEmulator({ dailyApiLimit: 5 });
    try {
      const conn = connect(em);
      await conn.query('SELECT Id FROM Account');
      expect(conn.limitInfo.apiUsage).toEqual({ used: 1, limit: 5 });
      const limits: any = await conn.limits();
      expect(limits.DailyApiRequests).toEqual({ Max: 5, Remaining: 3 });
      await conn.query('SELECT Id FROM Account');
      await conn.query('SELECT Id FROM Account');
      await conn.query('SELECT Id FROM Account');
      const spent: any = await conn.query('SELECT Id FROM Account').then(() => null, (e) => e);
      expect(spent.errorCode).toBe('REQUEST_LIMIT_EXCEEDED');
      expect(spent.message).toBe('TotalRequests Limit exceeded.');
      em.clock.advance(24 * HOUR + 60_000); // the rolling window frees the allocation
      expect((await conn.query('SELECT COUNT() FROM Account')).totalSize).toBe(0);
    } finally {
      await em.stop();
    }
  });

  it('injects 503 SERVER_UNAVAILABLE and 403 REQUEST_LIMIT_EXCEEDED faults with Salesforce bodies', async () => {
    const em = await startSalesforceEmulator({ faults: { serverErrorRate: 1 } });
    try {
      const r = await raw(em, '/services/data/v62.0/query?q=SELECT+Id+FROM+Account');
      expect(r.status).toBe(503);
      expect(r.body[0].errorCode).toBe('SERVER_UNAVAILABLE');
      em.faults.set({ serverErrorRate: 0, rateLimitRate: 1 });
      const limited = await raw(em, '/services/data/v62.0/query?q=SELECT+Id+FROM+Account');
      expect(limited.status).toBe(403);
      expect(limited.body).toEqual([{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
      em.faults.set({ rateLimitRate: 0 });
      expect((await raw(em, '/services/data/v62.0/query?q=SELECT+Id+FROM+Account')).status).toBe(200);
    } finally {
      await em.stop();
    }
  });

  it('answers unknown API versions with 404 NOT_FOUND', async () => {
    const em = await startSalesforceEmulator();
    try {
      const r = await raw(em, '/services/data/v99.0/limits');
      expect(r.status).toBe(404);
      expect(r.body[0].errorCode).toBe('NOT_FOUND');
    } finally {
      await em.stop();
    }
  });
});

describe('Salesforce emulator: treatments and market feed', () => {
  it("reports a Task on a market Contact as 'sales_task' and a CampaignMember as 'email'", async () => {
    const treatments: SimTreatment[] = [];
    const em = await startSalesforceEmulator({ onTreatment: (t) => treatments.push(t) });
    try {
      feedContacts(em, 4, 2);
      em.clock.advance(9 * HOUR);
      const conn = connect(em);
      const who = em.state.idOf('con_000002')!;
      await conn.sobject('Task').create({ Subject: 'Call about pricing', WhoId: who, ActivityDate: '2024-01-02' });
      const campaign: any = await conn.sobject('Campaign').create({ Name: 'Nurture A' });
      await conn.sobject('CampaignMember').create({ CampaignId: campaign.id, ContactId: em.state.idOf('con_000003')! });
      const dup: any = await conn.sobject('CampaignMember').create({ CampaignId: campaign.id, ContactId: em.state.idOf('con_000003')! }).then(() => null, (e) => e);
      expect(dup.errorCode).toBe('DUPLICATE_VALUE');
      await conn.sobject('Task').create({ Subject: 'No who' });
      expect(treatments).toEqual([
        { accountId: 'acc_000002', contactId: 'con_000002', channel: 'sales_task', at: Date.UTC(2024, 0, 1, 9), sendHour: 9, variant: 'Call about pricing' },
        { accountId: 'acc_000001', contactId: 'con_000003', channel: 'email', at: Date.UTC(2024, 0, 1, 9), sendHour: 9, variant: 'Nurture A' },
      ]);
    } finally {
      await em.stop();
    }
  });

  it('maps opportunities and merges contacts (loser deleted with MasterRecordId, children reparented)', async () => {
    const em = await startSalesforceEmulator();
    try {
      feedContacts(em, 3, 1);
      em.state.apply({ kind: 'opportunity', opportunity: { ...opportunity(1, 1, 'closed_won'), contactId: 'con_000001' } });
      em.state.apply({ kind: 'contact_merged', loserId: 'con_000001', winnerId: 'con_000002', at: Date.UTC(2024, 0, 1, 5) });
      const conn = connect(em);
      const opp: any = (await conn.query<any>('SELECT StageName, IsWon, ContactId, Account.Name FROM Opportunity')).records[0];
      expect(opp).toMatchObject({ StageName: 'Closed Won', IsWon: true, ContactId: em.state.idOf('con_000002'), Account: { Name: 'Account 1' } });
      const loser: any = (await conn.query<any>('SELECT Id, MasterRecordId FROM Contact WHERE IsDeleted = true', { scanAll: true })).records[0];
      expect(loser.MasterRecordId).toBe(em.state.idOf('con_000002'));
      expect(em.state.marketIdOf(loser.Id)).toBe('con_000001');
    } finally {
      await em.stop();
    }
  });
});

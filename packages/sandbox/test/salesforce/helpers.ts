// Shared test helpers: hand-made market events and jsforce connections to the emulator.
import { Connection } from 'jsforce';
import type { MarketEvent, SimAccount, SimContact, SimOpportunity } from '../../src/market/types.js';
import type { SalesforceEmulator } from '../../src/emulators/salesforce/index.js';

export const T0 = Date.UTC(2024, 0, 1);

export function account(n: number, at = T0): SimAccount {
  const id = `acc_${String(n).padStart(6, '0')}`;
  return { id, name: `Account ${n}`, domain: `acct${n}.example`, industry: 'Software', size: 'mid', region: 'US', employees: 100 + n, createdAt: at, updatedAt: at };
}

export function contact(n: number, accountN: number, at = T0): SimContact {
  return {
    id: `con_${String(n).padStart(6, '0')}`,
    accountId: `acc_${String(accountN).padStart(6, '0')}`,
    email: `person${n}@acct${accountN}.example`,
    firstName: `First${n}`,
    lastName: `Last${n}`,
    persona: 'champion',
    title: 'Director',
    lifecycleStage: 'lead',
    createdAt: at,
    updatedAt: at,
  };
}

export function opportunity(n: number, accountN: number, stage: SimOpportunity['stage'], at = T0): SimOpportunity {
  return {
    id: `opp_${String(n).padStart(6, '0')}`,
    accountId: `acc_${String(accountN).padStart(6, '0')}`,
    name: `Deal ${n}`,
    stage,
    amount: 1000 * n,
    createdAt: at,
    closeDate: '2024-03-31',
    isClosed: stage.startsWith('closed'),
    isWon: stage === 'closed_won',
    updatedAt: at,
  };
}

/** Feeds `contacts` contacts spread over `accounts` accounts, all stamped `at`. */
export function feedContacts(em: SalesforceEmulator, contacts: number, accounts = 10, at = T0): void {
  for (let a = 1; a <= accounts; a++) em.state.apply({ kind: 'account', account: account(a, at) } satisfies MarketEvent);
  for (let c = 1; c <= contacts; c++) em.state.apply({ kind: 'contact', contact: contact(c, ((c - 1) % accounts) + 1, at) });
}

export function connect(em: SalesforceEmulator): Connection {
  return new Connection({ instanceUrl: em.url, accessToken: em.accessToken, version: '62.0' });
}

export function connectWithRefresh(em: SalesforceEmulator, refreshToken = em.refreshToken): Connection {
  return new Connection({
    oauth2: { loginUrl: em.url, clientId: em.credentials.clientId, clientSecret: em.credentials.clientSecret, redirectUri: 'http://127.0.0.1/callback' },
    instanceUrl: em.url,
    accessToken: em.accessToken,
    refreshToken,
    version: '62.0',
  });
}

/** Raw fetch against the emulator, for wire details jsforce hides. */
export async function raw(em: SalesforceEmulator, path: string, init: RequestInit = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(em.url + path, { ...init, headers: { authorization: `Bearer ${em.accessToken}`, ...(init.headers ?? {}) } });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

// Hand-made market events for the HubSpot emulator tests.
import type { MarketEvent, SimAccount, SimContact } from '../../src/market/types.js';

export const t0 = Date.UTC(2025, 0, 1);

export function account(n: number, at = t0): SimAccount {
  const id = `acc_${String(n).padStart(6, '0')}`;
  return { id, name: `Account ${n}`, domain: `account${n}.example`, industry: 'Computer Software', size: 'mid', region: 'EMEA', employees: 100 + n, createdAt: at, updatedAt: at };
}

export function contact(n: number, accountN: number, updatedAt = t0): SimContact {
  return {
    id: `con_${String(n).padStart(6, '0')}`,
    accountId: `acc_${String(accountN).padStart(6, '0')}`,
    email: `person${n}@account${accountN}.example`,
    firstName: `First${n}`,
    lastName: `Last${n}`,
    persona: 'champion',
    title: 'VP Marketing',
    lifecycleStage: 'lead',
    createdAt: t0,
    updatedAt,
  };
}

/** `contacts` contacts spread over 10 accounts; contact i is last modified at t0 + i minutes. */
export function smallMarket(contacts: number): MarketEvent[] {
  const events: MarketEvent[] = [];
  for (let a = 1; a <= 10; a++) events.push({ kind: 'account', account: account(a) });
  for (let i = 1; i <= contacts; i++) events.push({ kind: 'contact', contact: contact(i, 1 + (i % 10), t0 + i * 60_000) });
  return events;
}

import { describe, expect, it } from 'vitest';
import { CHANNELS, createMarket, SimMarket, type TreatmentChannel } from '../../src/market/index.js';
import { smallScenario } from './helpers.js';

function freshMarket(): SimMarket {
  const market = createMarket(smallScenario({ seed: 21 })) as SimMarket;
  market.runUntil(4);
  return market;
}

/** every account's first contact, treated once on `pick(probabilities)`'s channel */
function meanIntentGain(pick: (probs: number[]) => number): { gain: number; responses: number } {
  const market = freshMarket();
  const truth = market.groundTruth();
  let gain = 0;
  let responses = 0;
  const n = market.population.states.length;
  for (let i = 0; i < n; i++) {
    const accountId = market.population.accounts[i].id;
    const contactId = market.population.contacts[market.population.states[i].contactFirst].id;
    const base = { accountId, contactId, topic: market.scenario.topics[market.population.states[i].interestTopic], sendHour: 10, at: market.now() + 10 * 3_600_000 };
    const probs = CHANNELS.map((channel) => market.probabilityOf({ ...base, channel })!);
    const before = truth.intent(accountId)!;
    const out = market.treat({ ...base, channel: CHANNELS[pick(probs)] as TreatmentChannel });
    if (out?.responded) responses++;
    gain += truth.intent(accountId)! - before;
  }
  return { gain: gain / n, responses };
}

const argmax = (xs: number[]) => xs.indexOf(Math.max(...xs));
const argmin = (xs: number[]) => xs.indexOf(Math.min(...xs));

describe('treatments', () => {
  it('the best channel moves accounts more than the worst, on average', () => {
    const best = meanIntentGain(argmax);
    const worst = meanIntentGain(argmin);
    expect(best.responses).toBeGreaterThan(20);
    // 200 accounts: best ≈ 0.35 × hour/topic factors, worst ≤ 0.08 × the same: a wide margin
    expect(best.gain).toBeGreaterThan(worst.gain * 2 + 0.005);
  });

  it('has diminishing returns for repeated treatments', () => {
    const market = freshMarket();
    const accountId = market.population.accounts[0].id;
    const t = { accountId, channel: 'email' as const, sendHour: 10, at: market.now() };
    const first = market.probabilityOf(t)!;
    for (let k = 0; k < 3; k++) market.treat(t);
    expect(market.probabilityOf(t)!).toBeLessThan(first * 0.5);
  });

  it('records costs per channel and ignores unknown accounts', () => {
    const market = freshMarket();
    const at = market.now();
    market.treat({ accountId: 'acc_000001', channel: 'sales_task', at });
    market.treat({ accountId: 'acc_000002', channel: 'linkedin', at });
    market.treat({ accountId: 'acc_999999', channel: 'email', at });
    const s = market.stats();
    expect(s.treatments.sales_task).toBe(1);
    expect(s.spend.sales_task).toBe(market.scenario.channels.sales_task.cost);
    expect(s.spend.linkedin).toBeGreaterThan(s.adSpend.linkedin);
    expect(s.treatmentsIgnored).toBe(1);
  });

  it('a response surfaces as a signal on the next day', () => {
    const market = freshMarket();
    const signals: { accountId: string; type: string }[] = [];
    market.subscribe({ apply: (e) => void (e.kind === 'signal' && signals.push({ accountId: e.signal.accountId, type: e.signal.type })) });
    const responders = new Set<string>();
    for (const s of market.population.states.slice(0, 60)) {
      const accountId = market.population.accounts[s.index].id;
      const base = { accountId, topic: market.scenario.topics[s.interestTopic], sendHour: 10, at: market.now() };
      const probs = CHANNELS.map((channel) => market.probabilityOf({ ...base, channel })!);
      if (market.treat({ ...base, channel: CHANNELS[argmax(probs)] })!.responded) responders.add(accountId);
    }
    expect(responders.size).toBeGreaterThan(0);
    market.advanceDay();
    const responseTypes = new Set(['email_click', 'ad_click', 'form_fill']);
    for (const id of responders) expect(signals.some((x) => x.accountId === id && responseTypes.has(x.type))).toBe(true);
  });
});

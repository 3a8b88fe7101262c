import { describe, expect, it } from 'vitest';
import { CHANNELS, createMarket, SimMarket, type SimTreatment } from '../../src/market/index.js';
import { Rng } from '../../src/market/random.js';
import { smallScenario } from './helpers.js';

// choiceQuality says where a policy loses answer chance: each choice's share of the best one.
describe('ground truth: choice quality', () => {
  const fresh = () => {
    const m = createMarket(smallScenario({ seed: 8 })) as SimMarket;
    m.runUntil(10);
    return m;
  };
  const pop = fresh().population;
  const accounts = pop.accounts.filter((_, i) => pop.states[i]!.contactCount >= 3).slice(0, 25);

  /** the best treatment over every live contact × channel × topic × whole hour (brute force), with its answer chance */
  function bestTreatment(m: SimMarket, accountId: string): { treatment: SimTreatment; chance: number } {
    const s = m.population.states[m.population.accountIndex.get(accountId)!]!;
    let best = { treatment: undefined as SimTreatment | undefined, chance: -1 };
    for (let c = s.contactFirst; c < s.contactFirst + s.contactCount; c++) {
      if (m.population.contactDeleted[c]) continue;
      for (const channel of CHANNELS) {
        for (const topic of m.scenario.topics) {
          for (let hour = 0; hour < 24; hour++) {
            const treatment = { accountId, contactId: m.population.contacts[c]!.id, channel, topic, sendHour: hour, at: m.now() };
            const chance = m.probabilityOf(treatment)!;
            if (chance > best.chance) best = { treatment, chance };
          }
        }
      }
    }
    return { treatment: best.treatment!, chance: best.chance };
  }

  it('multiplies back to the treatment’s answer chance: channel × hour × topic × contact × the best chance', () => {
    const rng = new Rng(3);
    let checked = 0;
    for (const a of accounts) {
      const m = fresh();
      const s = m.population.states[m.population.accountIndex.get(a.id)!]!;
      const contact = m.population.contacts[s.contactFirst + rng.int(s.contactCount)]!;
      const t: SimTreatment = { accountId: a.id, contactId: contact.id, channel: CHANNELS[rng.int(CHANNELS.length)]!, topic: m.scenario.topics[rng.int(m.scenario.topics.length)]!, sendHour: rng.int(24), at: m.now() };
      const p = m.probabilityOf(t)!;
      const best = bestTreatment(m, a.id).chance;
      m.treat(t);
      const q = m.groundTruth().choiceQuality();
      expect(q.treatments).toBe(1);
      for (const f of [q.channel, q.hour, q.topic, q.contact]) {
        expect(f).toBeGreaterThan(0);
        expect(f).toBeLessThanOrEqual(1 + 1e-12);
      }
      expect(q.channel * q.hour * q.topic * q.contact * best).toBeCloseTo(p, 12);
      checked++;
    }
    expect(checked).toBe(accounts.length);
  });

  it('is 1 on every count for the best treatment, and names the wrong channel as the loss', () => {
    const m = fresh();
    const a = accounts[0]!;
    const best = bestTreatment(m, a.id).treatment;
    m.treat(best);
    expect(m.groundTruth().choiceQuality()).toMatchObject({ treatments: 1, channel: 1, hour: 1, topic: 1, contact: 1 });
    const other = CHANNELS.find((c) => c !== best.channel)!;
    m.treat({ ...best, channel: other });
    const q = m.groundTruth().choiceQuality();
    expect(q.treatments).toBe(2);
    expect(q.channel).toBeLessThan(1);
    expect(q).toMatchObject({ hour: 1, topic: 1, contact: 1 });
  });

  it('leaves out account-level treatments and is all 0 with none', () => {
    const m = fresh();
    expect(m.groundTruth().choiceQuality()).toEqual({ treatments: 0, channel: 0, hour: 0, topic: 0, contact: 0 });
    m.treat({ accountId: accounts[0]!.id, channel: 'google', at: m.now() });
    expect(m.groundTruth().choiceQuality().treatments).toBe(0);
  });
});

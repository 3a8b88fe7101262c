// The market's initial population: accounts with firmographics and hidden intent, buying groups of
// contacts, and the duplicate contact records that will appear (and merge) later.
import { Funnel, type AccountState } from './account-state.js';
import type { SimClock } from './clock.js';
import { COMPANY_CORES, COMPANY_PREFIXES, COMPANY_SUFFIXES, FIRST_NAMES, LAST_NAMES, TITLES } from './names.js';
import { cumulativeWeights, deriveSeed, Rng, Stream } from './random.js';
import { segmentOf } from './response-model.js';
import { PERSONAS, SIZES, type Scenario } from './scenario-schema.js';
import type { SimAccount, SimContact } from './types.js';

export interface Population {
  accounts: SimAccount[];
  states: AccountState[];
  accountIndex: Map<string, number>;
  /** originals first (contiguous per account), then duplicate records */
  contacts: SimContact[];
  contactIndex: Map<string, number>;
  contactPersona: Uint8Array;
  contactAccount: Int32Array;
  contactDeleted: Uint8Array;
  /** original → its duplicate record (-1: none) */
  duplicateIndex: Int32Array;
  /** duplicate → its original (-1 for originals) */
  duplicateOf: Int32Array;
  /** day a contact record first appears (0 for originals) */
  appearDay: Int32Array;
  /** day a duplicate merges into its original (-1: never) */
  mergeDay: Int32Array;
  originalContacts: number;
}

export const pad = (n: number, width: number): string => String(n).padStart(width, '0');
export const accountId = (i: number): string => `acc_${pad(i + 1, 6)}`;
export const contactId = (i: number): string => `con_${pad(i + 1, 6)}`;

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

export function createPopulation(scenario: Scenario, clock: SimClock): Population {
  const rng = new Rng(deriveSeed(scenario.seed, Stream.population));
  const n = scenario.accounts.count;
  const industryCum = cumulativeWeights(scenario.industries.map((i) => i.weight));
  const sizeCum = cumulativeWeights(SIZES.map((s) => scenario.accounts.sizeMix[s]));
  const regions = Object.keys(scenario.accounts.regionMix);
  const regionCum = cumulativeWeights(regions.map((r) => scenario.accounts.regionMix[r]));
  const topics = scenario.topics.length;

  const accounts: SimAccount[] = [];
  const states: AccountState[] = [];
  const accountIndex = new Map<string, number>();
  const contacts: SimContact[] = [];
  const personas: number[] = [];
  const owners: number[] = [];
  for (let i = 0; i < n; i++) {
    const industry = rng.pickCumulative(industryCum);
    const size = rng.pickCumulative(sizeCum);
    const region = rng.pickCumulative(regionCum);
    const range = scenario.accounts.employees[SIZES[size]];
    const employees = Math.round(Math.exp(rng.range(Math.log(Math.max(1, range.min)), Math.log(Math.max(1, range.max)))));
    const name = `${COMPANY_PREFIXES[rng.int(COMPANY_PREFIXES.length)]}${COMPANY_CORES[rng.int(COMPANY_CORES.length)]} ${COMPANY_SUFFIXES[rng.int(COMPANY_SUFFIXES.length)]}`;
    const id = accountId(i);
    // the index suffix keeps domains unique, as they are in real CRMs
    const domain = `${slug(name)}${i + 1}.com`;
    const created = clock.at(0);
    accounts.push({ id, name, domain, industry: scenario.industries[industry].name, size: SIZES[size], region: regions[region], employees, createdAt: created, updatedAt: created });
    accountIndex.set(id, i);
    const baseIntent = rng.beta(scenario.intent.base.alpha, scenario.intent.base.beta);
    const state: AccountState = {
      index: i,
      industry,
      size,
      region,
      segment: segmentOf(industry, size),
      inMarket: true,
      baseIntent,
      intent: baseIntent,
      interestTopic: rng.int(topics),
      score: 0,
      fatigue: 0,
      funnel: Funnel.none,
      funnelUntil: 0,
      stage: 0,
      dealAmount: Math.round(scenario.funnel.dealSize[SIZES[size]].median * Math.exp(scenario.funnel.dealSize[SIZES[size]].spread * rng.normal())),
      amount: 0,
      salesAccepted: false,
      deleted: false,
      contactFirst: contacts.length,
      contactCount: 0,
      leadContact: -1,
      opportunity: -1,
      treatments: 0,
      episode: 0,
    };
    const group = scenario.buyingGroup[SIZES[size]];
    for (let p = 0; p < PERSONAS.length; p++) {
      const persona = PERSONAS[p];
      for (let k = 0; k < group[persona]; k++) {
        const firstName = FIRST_NAMES[rng.int(FIRST_NAMES.length)];
        const lastName = LAST_NAMES[rng.int(LAST_NAMES.length)];
        const ci = contacts.length;
        contacts.push({
          id: contactId(ci),
          accountId: id,
          email: `${slug(firstName)}.${slug(lastName)}${k ? k + 1 : ''}@${domain}`,
          firstName,
          lastName,
          persona,
          title: TITLES[persona][rng.int(TITLES[persona].length)],
          lifecycleStage: persona === 'end_user' ? 'subscriber' : 'lead',
          createdAt: created,
          updatedAt: created,
        });
        personas.push(p);
        owners.push(i);
      }
    }
    state.contactCount = contacts.length - state.contactFirst;
    state.leadContact = state.contactFirst;
    states.push(state);
  }

  // Duplicates: the same person entered again (a form fill with another address), merged later.
  const originalContacts = contacts.length;
  const duplicateIndex = new Int32Array(originalContacts).fill(-1);
  const dupOf: number[] = [];
  const appear: number[] = [];
  const merge: number[] = [];
  const h = scenario.hygiene;
  for (let c = 0; c < originalContacts; c++) {
    if (scenario.days < 2 || rng.next() >= h.duplicateRate) continue;
    const original = contacts[c];
    const d = contacts.length;
    const day = 1 + rng.int(scenario.days - 1);
    const mergeAt = day + h.mergeAfterDays.min + rng.int(h.mergeAfterDays.max - h.mergeAfterDays.min + 1);
    const at = clock.at(day, 12);
    contacts.push({
      ...original,
      id: contactId(d),
      email: `${slug(original.firstName).slice(0, 1)}${slug(original.lastName)}@${accounts[owners[c]].domain}`,
      lifecycleStage: 'subscriber',
      createdAt: at,
      updatedAt: at,
    });
    duplicateIndex[c] = d;
    personas.push(personas[c]);
    owners.push(owners[c]);
    dupOf.push(c);
    appear.push(day);
    merge.push(mergeAt < scenario.days ? mergeAt : -1);
  }
  const total = contacts.length;
  const duplicateOf = new Int32Array(total).fill(-1);
  const appearDay = new Int32Array(total);
  const mergeDay = new Int32Array(total).fill(-1);
  for (let k = 0; k < dupOf.length; k++) {
    const d = originalContacts + k;
    duplicateOf[d] = dupOf[k];
    appearDay[d] = appear[k];
    mergeDay[d] = merge[k];
  }
  const contactIndex = new Map<string, number>();
  contacts.forEach((c, k) => contactIndex.set(c.id, k));
  return {
    accounts,
    states,
    accountIndex,
    contacts,
    contactIndex,
    contactPersona: Uint8Array.from(personas),
    contactAccount: Int32Array.from(owners),
    contactDeleted: new Uint8Array(total),
    duplicateIndex,
    duplicateOf,
    appearDay,
    mergeDay,
    originalContacts,
  };
}

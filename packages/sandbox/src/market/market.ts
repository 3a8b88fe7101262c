// The simulated market: evolves hidden account state day by day, materialises what vendors would
// see as MarketEvents for the subscribed sinks, and takes treatments (revloop's actions) whose
// effect the hidden response model decides.
//
// Within a day, events are emitted account by account (not in time order); each carries its own
// simulated timestamp. Sinks receive copies: mutating one never changes the market.
import { Funnel, FUNNEL_STATES, type AccountState } from './account-state.js';
import { stepAccountDay, Transition } from './account-step.js';
import { AdCampaigns } from './ads.js';
import { createSimClock, DAY_MS, startEpochMs, type SimClock } from './clock.js';
import { createGroundTruth, type GroundTruth } from './ground-truth.js';
import { createAccountTally, type AccountTally } from './account-outcomes.js';
import { responseValue } from './response-value.js';
import { createPopulation, pad, type Population } from './population.js';
import { deriveSeed, Rng, Stream } from './random.js';
import { inMarketDraws, setInMarketShare } from './in-market.js';
import { forTarget, setBestHour, setChannelLift, setTopicAffinity } from './response-overrides.js';
import {
  channelIndex,
  choiceFactors,
  createResponseModel,
  personaIndex,
  responseProbability,
  shiftPersonaChannel,
  type ResponseModel,
} from './response-model.js';
import { CHANNELS, SIGNAL_TYPES, SIZES, type DriftEvent, type Scenario } from './scenario-schema.js';
import { createStepParams, winRate, type StepParams } from './step-params.js';
import type {
  AdPlatform,
  MarketEvent,
  MarketSink,
  SignalType,
  SimContact,
  SimOpportunity,
  SimTreatment,
  TreatmentChannel,
  TreatmentSink,
} from './types.js';

export interface ChannelTally {
  treatments: number;
  responses: number;
  /** treatment spend (ad campaign spend is in MarketStats.adSpend) */
  spend: number;
  /** sum of the intent increments responses caused (hidden; ground truth only) */
  intentLift: number;
  /** sum of the treatments' hidden answer chances: responses without the luck (ground truth only) */
  expectedResponses: number;
}

/** sums over the treatments addressed to a contact of what each choice cost (ChoiceFactors; ground truth only) */
export interface ChoiceTally {
  treatments: number;
  channel: number;
  hour: number;
  topic: number;
  contact: number;
}

export interface MarketStats {
  day: number;
  events: number;
  signals: number;
  mqls: number;
  sqls: number;
  opportunitiesCreated: number;
  opportunitiesOpen: number;
  closedWon: number;
  closedLost: number;
  revenueClosedWon: number;
  /**
   * closed-won revenue with each deal's final win draw replaced by its chance (amount × win rate
   * at that moment, won or lost). Why: a run's revenue turns on a few large deals' coin flips; this
   * keeps what the policy did to get deals to that draw and with what intent, without the flip.
   */
  expectedRevenueClosedWon: number;
  pipelineOpen: number;
  /** ad campaigns' spend per platform */
  adSpend: Record<AdPlatform, number>;
  adConversions: number;
  /** treatment spend per channel plus ad campaign spend for linkedin/google */
  spend: Record<TreatmentChannel, number>;
  totalSpend: number;
  treatments: Record<TreatmentChannel, number>;
  responses: Record<TreatmentChannel, number>;
  treatmentsIgnored: number;
  merges: number;
  deletions: number;
}

export interface TreatmentOutcome {
  probability: number;
  responded: boolean;
  cost: number;
}

export interface AppliedDrift {
  day: number;
  at: number;
  event: DriftEvent;
}

/** how the market's time runs (the default: the scenario's startDate, one real day per day) */
export interface MarketOptions {
  /** how long a simulated day lasts, in ms (default 86,400,000: real time; live mode: seconds) */
  msPerDay?: number;
  /** epoch ms of the start of day 0 (default: 00:00 UTC on the scenario's startDate) */
  startMs?: number;
}

export interface Market extends TreatmentSink {
  readonly scenario: Scenario;
  /** the market's start and time scale: every timestamp it produces comes from here */
  readonly clock: SimClock;
  /** the last simulated day; -1 before the first advanceDay() */
  readonly day: number;
  /** subscribes a sink; returns an unsubscribe function */
  subscribe(sink: MarketSink): () => void;
  /** simulates the next day (day 0 first emits the initial population) */
  advanceDay(): void;
  /** simulates days until `day` (inclusive) has been simulated */
  runUntil(day: number): void;
  /** the simulated now: the end of the last simulated day (the start before day 0) */
  now(): number;
  treat(treatment: SimTreatment): TreatmentOutcome | undefined;
  stats(): MarketStats;
  /** hidden truth, for benchmarks and reports only: never hand it to revloop's runtime */
  groundTruth(): GroundTruth;
}

interface PendingSignal {
  account: number;
  contact: number;
  type: SignalType;
  topic: number;
  platform: AdPlatform | undefined;
  at: number;
}

const SIGNAL_COUNT = SIGNAL_TYPES.length;
const T_AD_IMPRESSION = SIGNAL_TYPES.indexOf('ad_impression');
const T_AD_CLICK = SIGNAL_TYPES.indexOf('ad_click');
const T_EMAIL_OPEN = SIGNAL_TYPES.indexOf('email_open');
const T_EMAIL_CLICK = SIGNAL_TYPES.indexOf('email_click');
const T_FIRST_TOPICAL = 0; // page_view, pricing, demo, content carry a topic
const T_LAST_TOPICAL = SIGNAL_TYPES.indexOf('content_download');
const STAGE_NAMES = ['qualification', 'discovery', 'proposal', 'negotiation'] as const;

const zeroChannels = (): Record<TreatmentChannel, number> => ({ email: 0, linkedin: 0, google: 0, sales_task: 0 });

export class SimMarket implements Market {
  readonly clock: SimClock;
  readonly startMs: number;
  readonly params: StepParams;
  readonly population: Population;
  readonly model: ResponseModel;
  readonly ads: AdCampaigns;
  readonly topicIndex: Map<string, number>;
  readonly opportunities: SimOpportunity[] = [];
  readonly channelTally: Record<TreatmentChannel, ChannelTally>;
  readonly choiceTally: ChoiceTally = { treatments: 0, channel: 0, hour: 0, topic: 0, contact: 0 };
  /** per company size (index into SIZES): treatments and their hidden answer chances summed */
  readonly sizeTally: Pick<ChannelTally, 'treatments' | 'expectedResponses'>[] = SIZES.map(() => ({ treatments: 0, expectedResponses: 0 }));
  /**
   * per funnel state of the treated account when treated (index = `Funnel` value) × company size
   * (index into SIZES): treatments and their hidden answer chances summed
   */
  readonly funnelTally: Pick<ChannelTally, 'treatments' | 'expectedResponses'>[][] = FUNNEL_STATES.map(() => SIZES.map(() => ({ treatments: 0, expectedResponses: 0 })));
  readonly drifts: AppliedDrift[] = [];
  /** per account: what the treatments and the funnel did (ground truth: GroundTruth.byAccount) */
  readonly accountTally: AccountTally;
  /** per account, the fixed draw that decides whether it is in market (in-market.ts) */
  readonly inMarketDraw: Float64Array;
  private currentDay = -1;
  private readonly sinks: MarketSink[] = [];
  private readonly rng = new Rng();
  private readonly counts = new Int32Array(SIGNAL_COUNT);
  private pending: PendingSignal[] = [];
  private signalSeq = 0;
  private clickSeq = 0;
  private readonly tally = {
    events: 0,
    signals: 0,
    mqls: 0,
    sqls: 0,
    opportunitiesCreated: 0,
    closedWon: 0,
    closedLost: 0,
    revenueClosedWon: 0,
    expectedRevenueClosedWon: 0,
    treatmentsIgnored: 0,
    merges: 0,
    deletions: 0,
  };

  constructor(readonly scenario: Scenario, options: MarketOptions = {}) {
    this.clock = createSimClock(options.startMs ?? startEpochMs(scenario.startDate), options.msPerDay ?? DAY_MS);
    this.startMs = this.clock.startMs;
    this.params = createStepParams(scenario);
    this.population = createPopulation(scenario, this.clock);
    this.model = createResponseModel(scenario, new Rng(deriveSeed(scenario.seed, Stream.response)));
    this.ads = new AdCampaigns(scenario, this.clock);
    this.inMarketDraw = inMarketDraws(scenario.seed, scenario.accounts.count);
    this.accountTally = createAccountTally(this.population.states.length);
    if (scenario.intent.inMarketShare !== undefined) setInMarketShare(this.population.states, this.inMarketDraw, scenario.intent.inMarketShare, this.params.outOfMarketFactor);
    this.topicIndex = new Map(scenario.topics.map((t, k) => [t, k]));
    this.channelTally = Object.fromEntries(
      CHANNELS.map((c) => [c, { treatments: 0, responses: 0, spend: 0, intentLift: 0, expectedResponses: 0 }]),
    ) as Record<TreatmentChannel, ChannelTally>;
  }

  get day(): number {
    return this.currentDay;
  }

  subscribe(sink: MarketSink): () => void {
    this.sinks.push(sink);
    return () => {
      const k = this.sinks.indexOf(sink);
      if (k >= 0) this.sinks.splice(k, 1);
    };
  }

  now(): number {
    return this.clock.at(this.currentDay + 1);
  }

  runUntil(day: number): void {
    while (this.currentDay < day) this.advanceDay();
  }

  private readonly emitFn = (e: MarketEvent): void => {
    this.tally.events++;
    for (let k = 0; k < this.sinks.length; k++) this.sinks[k].apply(e);
  };

  private get emit(): ((e: MarketEvent) => void) | null {
    return this.sinks.length ? this.emitFn : null;
  }

  advanceDay(): void {
    const d = this.currentDay + 1;
    const emit = this.emit;
    if (d === 0 && emit) this.emitPopulation(emit);
    for (const ev of this.scenario.drift) if (ev.day === d) this.applyDrift(ev, d);
    this.flushPending(d, emit);
    this.hygieneMerges(d, emit);
    const states = this.population.states;
    for (let i = 0; i < states.length; i++) {
      const s = states[i];
      if (s.deleted) continue;
      const transitions = stepAccountDay(s, this.params, d, this.rng, this.counts, this.scenario.seed);
      this.rng.reseed(deriveSeed(this.scenario.seed, i, d, Stream.details));
      const keyContact = this.materialiseSignals(s, d, emit);
      if (transitions) this.applyTransitions(s, transitions, d, keyContact, emit);
    }
    this.hygieneDeletions(d, emit);
    this.rng.reseed(deriveSeed(this.scenario.seed, d, 0, Stream.ads));
    this.ads.closeDay(d, this.rng, emit);
    this.ads.releaseLate(d, emit);
    this.currentDay = d;
  }

  private emitPopulation(emit: (e: MarketEvent) => void): void {
    for (const c of this.ads.campaigns) emit({ kind: 'campaign', campaign: { ...c } });
    for (const a of this.population.accounts) emit({ kind: 'account', account: { ...a } });
    const p = this.population;
    for (let c = 0; c < p.originalContacts; c++) emit({ kind: 'contact', contact: { ...p.contacts[c] } });
  }

  private applyDrift(ev: DriftEvent, d: number): void {
    const sc = this.scenario;
    switch (ev.kind) {
      case 'persona_channel_shift': {
        const industry = ev.industry === undefined ? -1 : sc.industries.findIndex((x) => x.name === ev.industry);
        shiftPersonaChannel(this.model, personaIndex(ev.persona), channelIndex(ev.to), industry);
        break;
      }
      case 'industry_intent_drop': {
        const industry = sc.industries.findIndex((x) => x.name === ev.industry);
        this.params.industryFactor[industry] *= ev.factor;
        for (const s of this.population.states) if (s.industry === industry) s.intent *= ev.factor;
        break;
      }
      case 'channel_lift_change':
        forTarget(sc, ev, (s, p) => setChannelLift(this.model, s, p, channelIndex(ev.channel), ev.lift));
        break;
      case 'best_hour_shift':
        forTarget(sc, ev, (s, p) => setBestHour(this.model, s, p, ev.to));
        break;
      case 'topic_affinity_change':
        forTarget(sc, ev, (s, p) => setTopicAffinity(this.model, s, p, this.topicIndex.get(ev.topic) ?? 0, ev.affinity));
        break;
      case 'in_market_share_change':
        setInMarketShare(this.population.states, this.inMarketDraw, ev.share, this.params.outOfMarketFactor);
        break;
    }
    this.drifts.push({ day: d, at: this.clock.at(d), event: ev });
  }

  /** a live contact of the account for a signal (a not-yet-merged duplicate half the time) */
  private pickContact(s: AccountState, d: number): number {
    const p = this.population;
    for (let tries = 0; tries < s.contactCount; tries++) {
      const c = s.contactFirst + this.rng.int(s.contactCount);
      if (p.contactDeleted[c]) continue;
      const dup = p.duplicateIndex[c];
      if (dup >= 0 && p.appearDay[dup] <= d && (p.mergeDay[dup] < 0 || d < p.mergeDay[dup]) && !p.contactDeleted[dup] && this.rng.next() < 0.5) return dup;
      return c;
    }
    return -1;
  }

  /** draws the details of today's signals; returns the contact behind the weightiest one */
  private materialiseSignals(s: AccountState, d: number, emit: ((e: MarketEvent) => void) | null): number {
    const counts = this.counts;
    const points = this.params.signalPoints;
    const topics = this.scenario.topics.length;
    const focus = this.scenario.intent.topicFocus;
    const liShare = this.scenario.signals.linkedinShare;
    let keyContact = -1;
    let keyPoints = -1;
    for (let t = 0; t < SIGNAL_COUNT; t++) {
      for (let k = counts[t]; k > 0; k--) {
        const contact = this.pickContact(s, d);
        const hour = 7 + this.rng.int(13);
        const minute = this.rng.int(60);
        let topic = -1;
        if (t >= T_FIRST_TOPICAL && t <= T_LAST_TOPICAL) topic = this.rng.next() < focus ? s.interestTopic : this.rng.int(topics);
        let platform: AdPlatform | undefined;
        let campaign = -1;
        if (t === T_AD_CLICK || t === T_AD_IMPRESSION) {
          platform = this.rng.next() < liShare ? 'linkedin' : 'google';
          campaign = this.ads.pick(platform, this.rng);
          if (t === T_AD_CLICK && campaign >= 0) this.ads.trackedClicks[campaign]++;
        }
        if (contact >= 0 && points[t] > keyPoints) {
          keyPoints = points[t];
          keyContact = contact;
        }
        this.tally.signals++;
        if (!emit) continue;
        const at = this.clock.at(d, hour, minute);
        const accountId = this.population.accounts[s.index].id;
        const contactId = contact >= 0 ? this.population.contacts[contact].id : undefined;
        const campaignId = campaign >= 0 ? this.ads.campaigns[campaign].id : undefined;
        let clickId: string | undefined;
        if (t === T_AD_CLICK && platform === 'google' && campaignId) {
          clickId = `gclid_${pad(++this.clickSeq, 8)}`;
          emit({ kind: 'click', click: { clickId, campaignId, accountId, contactId, date: this.clock.date(d), occurredAt: at } });
        }
        emit({
          kind: 'signal',
          signal: {
            id: `sig_${pad(++this.signalSeq, 8)}`,
            accountId,
            contactId,
            type: SIGNAL_TYPES[t],
            topic: topic >= 0 ? this.scenario.topics[topic] : undefined,
            platform,
            campaignId,
            clickId,
            occurredAt: at,
          },
        });
      }
    }
    return keyContact;
  }

  private setLifecycle(c: number, stage: SimContact['lifecycleStage'], at: number, emit: ((e: MarketEvent) => void) | null): void {
    if (c < 0) return;
    const contact = this.population.contacts[c];
    if (contact.lifecycleStage === stage) return;
    contact.lifecycleStage = stage;
    contact.updatedAt = at;
    if (emit) emit({ kind: 'contact', contact: { ...contact } });
  }

  private applyTransitions(s: AccountState, tr: number, d: number, keyContact: number, emit: ((e: MarketEvent) => void) | null): void {
    const at = this.clock.at(d, 18);
    const accountId = this.population.accounts[s.index].id;
    if (tr & Transition.mql) {
      this.tally.mqls++;
      if (keyContact >= 0) s.leadContact = this.population.duplicateOf[keyContact] >= 0 ? this.population.duplicateOf[keyContact] : keyContact;
      this.setLifecycle(s.leadContact, 'mql', at, emit);
    }
    if (tr & Transition.sql) {
      this.tally.sqls++;
      this.setLifecycle(s.leadContact, 'sql', at, emit);
    }
    if (tr & Transition.opportunity) {
      this.tally.opportunitiesCreated++;
      this.accountTally.opportunities[s.index]++;
      this.accountTally.pipelineCreated[s.index] += s.amount;
      const stageDays = this.params.stageDays;
      let expected = 0;
      for (let k = 0; k < 4; k++) expected += stageDays[k] * this.params.segmentCycle[s.segment];
      const opp: SimOpportunity = {
        id: `opp_${pad(this.opportunities.length + 1, 6)}`,
        accountId,
        contactId: s.leadContact >= 0 ? this.population.contacts[s.leadContact].id : undefined,
        name: `${this.population.accounts[s.index].name} - new business`,
        stage: 'qualification',
        amount: s.amount,
        createdAt: at,
        closeDate: this.clock.date(d + Math.round(expected)),
        isClosed: false,
        isWon: false,
        updatedAt: at,
      };
      s.opportunity = this.opportunities.length;
      this.opportunities.push(opp);
      this.setLifecycle(s.leadContact, 'opportunity', at, emit);
      if (emit) emit({ kind: 'opportunity', opportunity: { ...opp } });
    }
    if (tr & (Transition.stage | Transition.won | Transition.lost) && s.opportunity >= 0) {
      const opp = this.opportunities[s.opportunity];
      opp.updatedAt = at;
      if (tr & Transition.stage) opp.stage = STAGE_NAMES[s.stage];
      else {
        opp.isClosed = true;
        opp.isWon = (tr & Transition.won) !== 0;
        opp.stage = opp.isWon ? 'closed_won' : 'closed_lost';
        opp.closeDate = this.clock.date(d);
        s.opportunity = -1;
        if (tr & Transition.decided) {
          const expected = opp.amount * winRate(this.params, s.intent);
          this.tally.expectedRevenueClosedWon += expected;
          this.accountTally.expectedRevenue[s.index] += expected;
        }
        if (opp.isWon) {
          this.tally.closedWon++;
          this.tally.revenueClosedWon += opp.amount;
          this.accountTally.revenue[s.index] += opp.amount;
          this.setLifecycle(s.leadContact, 'customer', at, emit);
        } else {
          this.tally.closedLost++;
          this.setLifecycle(s.leadContact, 'lead', at, emit);
        }
      }
      if (emit) emit({ kind: 'opportunity', opportunity: { ...opp } });
    }
    if (tr & Transition.recycled) this.setLifecycle(s.leadContact, 'lead', at, emit);
  }

  private hygieneMerges(d: number, emit: ((e: MarketEvent) => void) | null): void {
    const p = this.population;
    for (let c = p.originalContacts; c < p.contacts.length; c++) {
      if (p.contactDeleted[c]) continue;
      if (p.appearDay[c] === d && emit) emit({ kind: 'contact', contact: { ...p.contacts[c] } });
      if (p.mergeDay[c] === d) {
        const winner = p.duplicateOf[c];
        p.contactDeleted[c] = 1; // the loser record no longer exists
        this.tally.merges++;
        if (emit) emit({ kind: 'contact_merged', loserId: p.contacts[c].id, winnerId: p.contacts[winner].id, at: this.clock.at(d, 3) });
      }
    }
  }

  private hygieneDeletions(d: number, emit: ((e: MarketEvent) => void) | null): void {
    const del = this.scenario.hygiene.deletion;
    const p = this.population;
    this.rng.reseed(deriveSeed(this.scenario.seed, d, 0, Stream.hygiene));
    const at = this.clock.at(d, 22);
    for (let n = this.rng.poisson(del.contactDaily * p.originalContacts); n > 0; n--) {
      const c = this.rng.int(p.originalContacts);
      if (p.contactDeleted[c]) continue;
      p.contactDeleted[c] = 1;
      this.tally.deletions++;
      const s = p.states[p.contactAccount[c]];
      if (s.leadContact === c) s.leadContact = this.liveContact(s);
      if (emit) emit({ kind: 'deleted', entity: 'contact', id: p.contacts[c].id, at });
    }
    for (let n = this.rng.poisson(del.accountDaily * p.states.length); n > 0; n--) {
      const s = p.states[this.rng.int(p.states.length)];
      if (s.deleted || s.funnel === Funnel.won) continue; // customers are not purged
      s.deleted = true;
      this.tally.deletions++;
      if (emit) emit({ kind: 'deleted', entity: 'account', id: p.accounts[s.index].id, at });
    }
    let n = this.rng.poisson(del.opportunityDaily * this.openOpportunityCount());
    const open = n > 0 ? p.states.filter((s) => !s.deleted && s.funnel === Funnel.opportunity && s.opportunity >= 0) : [];
    for (; n > 0 && open.length; n--) {
      const s = open.splice(this.rng.int(open.length), 1)[0];
      const opp = this.opportunities[s.opportunity];
      opp.isClosed = true; // hidden bookkeeping: gone from the CRM, never won
      s.opportunity = -1;
      s.funnel = Funnel.cooldown;
      s.funnelUntil = d + this.scenario.funnel.recycleDays;
      this.tally.deletions++;
      if (emit) emit({ kind: 'deleted', entity: 'opportunity', id: opp.id, at });
    }
  }

  private liveContact(s: AccountState): number {
    for (let c = s.contactFirst; c < s.contactFirst + s.contactCount; c++) if (!this.population.contactDeleted[c]) return c;
    return -1;
  }

  private openOpportunityCount(): number {
    let n = 0;
    for (const s of this.population.states) if (s.funnel === Funnel.opportunity && !s.deleted) n++;
    return n;
  }

  /** emits the responses that fall on or before day `d` (a later one waits for its day) */
  private flushPending(d: number, emit: ((e: MarketEvent) => void) | null): void {
    if (!this.pending.length) return;
    const end = this.clock.at(d + 1);
    let list = this.pending;
    this.pending = [];
    if (list.some((q) => q.at >= end)) {
      this.pending = list.filter((q) => q.at >= end);
      list = list.filter((q) => q.at < end);
    }
    this.tally.signals += list.length;
    if (!emit) return;
    for (const q of list) {
      emit({
        kind: 'signal',
        signal: {
          id: `sig_${pad(++this.signalSeq, 8)}`,
          accountId: this.population.accounts[q.account].id,
          contactId: q.contact >= 0 ? this.population.contacts[q.contact].id : undefined,
          type: q.type,
          topic: q.topic >= 0 ? this.scenario.topics[q.topic] : undefined,
          platform: q.platform,
          occurredAt: q.at,
        },
      });
    }
  }

  /** the personas a treatment reaches: its contact's, or (account-level) the live buying group */
  private treatedPersonas(s: AccountState, contact: number): number[] {
    const p = this.population;
    if (contact >= 0) return [p.contactPersona[contact]];
    const out: number[] = [];
    for (let c = s.contactFirst; c < s.contactFirst + s.contactCount; c++) if (!p.contactDeleted[c]) out.push(p.contactPersona[c]);
    return out;
  }

  /** the response probability a treatment would have now (hidden; no side effects) */
  probabilityOf(t: SimTreatment): number | undefined {
    const i = this.population.accountIndex.get(t.accountId);
    if (i === undefined) return undefined;
    const s = this.population.states[i];
    const contact = this.resolveContact(t, i);
    const personas = this.treatedPersonas(s, contact);
    if (!personas.length) return 0;
    const channel = channelIndex(t.channel);
    const topic = t.topic === undefined ? -1 : (this.topicIndex.get(t.topic) ?? -1);
    const hour = t.sendHour === undefined ? -1 : t.sendHour;
    let sum = 0;
    for (const persona of personas) sum += responseProbability(this.model, this.scenario, s.segment, persona, channel, topic, s.interestTopic, hour, s.fatigue);
    return sum / personas.length;
  }

  /** adds what the treatment's channel, hour, topic and contact cost against the best (contact treatments only) */
  private tallyChoices(t: SimTreatment, contact: number, s: AccountState, channel: number): void {
    if (contact < 0) return;
    const topic = t.topic === undefined ? -1 : (this.topicIndex.get(t.topic) ?? -1);
    const f = choiceFactors(this.model, this.scenario, s.segment, this.population.contactPersona[contact], channel, topic, s.interestTopic, t.sendHour ?? -1, this.treatedPersonas(s, -1));
    const c = this.choiceTally;
    c.treatments++;
    c.channel += f.channel;
    c.hour += f.hour;
    c.topic += f.topic;
    c.contact += f.contact;
  }

  private resolveContact(t: SimTreatment, account: number): number {
    if (t.contactId === undefined) return -1;
    const c = this.population.contactIndex.get(t.contactId);
    if (c === undefined || this.population.contactAccount[c] !== account || this.population.contactDeleted[c]) return -1;
    return c;
  }

  treat(t: SimTreatment): TreatmentOutcome | undefined {
    const i = this.population.accountIndex.get(t.accountId);
    const channel = CHANNELS.indexOf(t.channel);
    if (i === undefined || channel < 0 || this.population.states[i].deleted) {
      this.tally.treatmentsIgnored++;
      return undefined;
    }
    const s = this.population.states[i];
    const probability = this.probabilityOf(t) ?? 0;
    const ch = this.scenario.channels;
    let cost = t.channel === 'email' ? ch.email.costPerSend : t.channel === 'linkedin' ? (ch.linkedin.impressionsPerTreatment * ch.linkedin.cpm) / 1000 : t.channel === 'sales_task' ? ch.sales_task.cost : 0;
    this.rng.reseed(deriveSeed(this.scenario.seed, i, s.treatments++, Stream.treatment));
    const responded = this.rng.next() < probability;
    s.fatigue += 1;
    const tally = this.channelTally[t.channel];
    tally.treatments++;
    tally.expectedResponses += probability;
    this.sizeTally[s.size].treatments++;
    this.sizeTally[s.size].expectedResponses += probability;
    this.funnelTally[s.funnel][s.size].treatments++;
    this.funnelTally[s.funnel][s.size].expectedResponses += probability;
    const contact = this.resolveContact(t, i);
    this.tallyChoices(t, contact, s, channel);
    const acc = this.accountTally;
    acc.treatments[i]++;
    acc.expectedResponses[i] += probability;
    acc.expectedValue[i] += probability * responseValue(this.params, this.scenario, s, this.currentDay);
    if (responded) {
      acc.responses[i]++;
      if (t.channel === 'linkedin') cost += ch.linkedin.cpc;
      if (t.channel === 'google') cost += ch.google.cpc;
      const r = this.scenario.response;
      const before = s.intent;
      s.intent += r.intentBoost * (1 - s.intent);
      s.baseIntent += r.persistence * (s.intent - before) * (1 - s.baseIntent);
      if (s.funnel === Funnel.opportunity) s.funnelUntil -= r.stageAcceleration;
      s.score += r.scoreBoost;
      if (t.channel === 'sales_task') s.salesAccepted = true;
      tally.responses++;
      tally.intentLift += s.intent - before;
      const type: SignalType = t.channel === 'email' ? 'email_click' : t.channel === 'sales_task' ? 'form_fill' : 'ad_click';
      const hour = t.sendHour ?? 9;
      const clock = this.clock;
      const at = Math.max(t.at, clock.at(clock.dayOf(t.at), hour)) + (clock.at(0, 0, 20) - clock.startMs); // 20 simulated minutes after
      this.pending.push({ account: i, contact, type, topic: t.topic === undefined ? -1 : (this.topicIndex.get(t.topic) ?? -1), platform: t.channel === 'linkedin' || t.channel === 'google' ? t.channel : undefined, at });
    }
    tally.spend += cost;
    return { probability, responded, cost };
  }

  stats(): MarketStats {
    const t = this.tally;
    let open = 0;
    let pipeline = 0;
    for (const o of this.opportunities) if (!o.isClosed) {
      open++;
      pipeline += o.amount;
    }
    const spend = zeroChannels();
    const treatments = zeroChannels();
    const responses = zeroChannels();
    for (const c of CHANNELS) {
      spend[c] = this.channelTally[c].spend;
      treatments[c] = this.channelTally[c].treatments;
      responses[c] = this.channelTally[c].responses;
    }
    spend.linkedin += this.ads.spend.linkedin;
    spend.google += this.ads.spend.google;
    return {
      day: this.currentDay,
      events: t.events,
      signals: t.signals,
      mqls: t.mqls,
      sqls: t.sqls,
      opportunitiesCreated: t.opportunitiesCreated,
      opportunitiesOpen: open,
      closedWon: t.closedWon,
      closedLost: t.closedLost,
      revenueClosedWon: t.revenueClosedWon,
      expectedRevenueClosedWon: t.expectedRevenueClosedWon,
      pipelineOpen: pipeline,
      adSpend: { ...this.ads.spend },
      adConversions: this.ads.conversions,
      spend,
      totalSpend: spend.email + spend.linkedin + spend.google + spend.sales_task,
      treatments,
      responses,
      treatmentsIgnored: t.treatmentsIgnored,
      merges: t.merges,
      deletions: t.deletions,
    };
  }

  groundTruth(): GroundTruth {
    return createGroundTruth(this);
  }
}

export function createMarket(scenario: Scenario, options: MarketOptions = {}): Market {
  return new SimMarket(scenario, options);
}

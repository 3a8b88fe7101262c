// predict/channel-time: contextual Thompson sampling, the channel and the send hour each with a
// sampler of its own. The context is segment (industry × size) × persona; each (context, arm) has
// a Beta posterior whose prior is the persona-level posterior mean, whose own prior is the global
// arm's posterior mean (hierarchical backoff), so a new segment starts from what worked for the
// persona everywhere.
//
// Why two samplers and not one over channel × hour: a response needs the right channel and a good
// hour, and the two act on it one after the other (a right channel at a poor hour still answers,
// less often). One joint arm per pair splits the evidence over channels × hours arms (16 by
// default); apart, every answer teaches both the channel and the hour, and the channel, which
// decides most of the response, is learned four times as fast.
//
// Why it forgets: what works drifts (a persona moves to another channel; the market changes).
// Counts fade with a half-life in days of decision time, so that a few weeks of new evidence
// outweigh any amount of old.
import type { AccountFeatures, Channel, ChoicePropensity, ContactBrief, ChannelInput, ChannelOutput, FeedbackExample } from '@revloop/core';
import { BackoffSampler, type BackoffState } from './backoff-sampler.js';
import { FatigueCurve } from './fatigue-curve.js';
import { winProbabilities } from './propensity.js';
import type { Rng } from './random.js';

const DAY = 86_400_000;
/** whole days of decision time (the change detector's buckets) */
const dayOf = (at: number): number => Math.floor(at / DAY);

/**
 * Significant digits, not decimals: an IPS weight divides by the chosen arm's chance, however
 * small. Four: the weight's relative error stays below 1e-4, and the decision row stays short.
 */
const significant = (x: number): number => Number(x.toPrecision(4));

interface ArmChances {
  channels: Float64Array;
  hours: Float64Array;
  /** channel-major: the pair's chance */
  joint: Float64Array;
  channelRecord: Readonly<Record<string, number>>;
}

export interface ChannelState {
  channels: BackoffState;
  hours: BackoffState;
  /** background answer signals per channel (absent in states of versions before it) */
  background?: BackoffState;
  /** answers over expected by how often and how lately the account was treated (diminishing returns) */
  fatigueObserved?: number[];
  /** decision time (ms) of the newest example learned, from which counts fade */
  lastAt: number;
  updates: number;
  examples: number;
  changeResets?: number;
}

/** the state of versions that sampled one joint channel × hour arm (arms channel-major) */
interface JointChannelState {
  global: Record<string, number[]>;
  persona: Record<string, number[]>;
  leaf: Record<string, number[]>;
  updates: number;
  examples: number;
}

export interface ChannelOptions {
  channels: readonly Channel[];
  sendHours: readonly number[];
  priorStrength: number;
  priorRate: number;
  /** evidence counts half as much after this many days (of decision time) */
  forgetHalfLifeDays: number;
  /** days back over which change detection searches for the day the answers changed */
  changeWindowDays: number;
  /** G statistic above which an arm's old evidence is dropped; 0 turns change detection off */
  changeThreshold: number;
  /**
   * choose by what a treatment adds: each channel's answer rate minus the rate of its answer
   * signal among contacts treated on another channel (background clicks), see upliftParams
   */
  uplift?: boolean;
}

export class ChannelModel {
  readonly channels: BackoffSampler;
  readonly hours: BackoffSampler;
  readonly fatigue: FatigueCurve;
  /** per channel: its answer signal among contacts treated on another channel (FeedbackExample.background) */
  readonly background: BackoffSampler;
  lastAt = 0;
  updates = 0;
  examples = 0;
  /** contexts whose old evidence change detection dropped, over the model's life */
  changeResets = 0;
  /** each context's chances of every channel and hour under the current posteriors (cleared when they change) */
  private readonly armChances = new Map<string, ArmChances>();

  constructor(private readonly options: ChannelOptions) {
    const personaOf = (leaf: string): string => leaf.slice(leaf.lastIndexOf('|') + 1);
    this.channels = new BackoffSampler(options.channels.length, options.priorStrength, options.priorRate, personaOf, options.changeWindowDays);
    // no change detection on the hours (see learn()): they keep no day buckets
    this.hours = new BackoffSampler(options.sendHours.length, options.priorStrength, options.priorRate, personaOf, 0);
    this.fatigue = new FatigueCurve(4, options.priorStrength);
    // background answers are rarer than answers: a prior a tenth of the answers' (no change detection)
    this.background = new BackoffSampler(options.channels.length, options.priorStrength, options.priorRate / 10, personaOf, 0);
  }

  static personaKey(persona: string | null | undefined): string {
    return persona ?? 'unknown';
  }

  static leafKey(f: AccountFeatures, persona: string): string {
    return `${f.industry ?? '?'}|${f.size ?? '?'}|${persona}`;
  }

  choose(input: ChannelInput, rng: Rng): ChannelOutput {
    const persona = ChannelModel.personaKey(input.contact?.persona);
    const leaf = ChannelModel.leafKey(input.features, persona);
    const channel = this.options.uplift ? drawArm(this.channelParams(persona, leaf), rng) : this.channels.choose(persona, leaf, rng);
    const hour = this.hours.choose(persona, leaf, rng);
    // the channel's rate is its average over the hours it was sent at and over how often the
    // accounts had been treated; the chosen hour and this account's recent treatments move it
    const hourLift = hour.mean / Math.max(1e-9, hour.averageMean);
    const baseReward = Math.min(1, channel.mean * hourLift);
    const expectedReward = Math.min(1, baseReward * this.fatigue.ratio(input.features));
    // `persona` and `baseReward` are extra to ChannelOutput: update() reads them back to credit the
    // right context and to compare the answer with what was expected before diminishing returns
    const round = (x: number): number => Math.round(x * 1e6) / 1e6;
    const propensity = this.propensity(persona, leaf, channel.arm, hour.arm);
    return { channel: this.options.channels[channel.arm]!, sendHour: this.options.sendHours[hour.arm]!, expectedReward: round(expectedReward), persona, baseReward: round(baseReward), propensity } as ChannelOutput;
  }

  /**
   * The chance that this context's draws pick each channel and each hour (the two samplers draw
   * independently, so the pair's chance is the product). The policy has no exploration floor:
   * Thompson sampling explores through the posteriors' spread, which these chances include.
   */
  private propensity(persona: string, leaf: string, channelArm: number, hourArm: number): ChoicePropensity {
    // the chances depend only on the context's posteriors: computed once per context between updates
    let arms = this.armChances.get(leaf);
    if (!arms) {
      const channels = winProbabilities(this.channelParams(persona, leaf)).map(significant);
      const hours = winProbabilities(this.hours.posteriors(persona, leaf)).map(significant);
      arms = {
        channels,
        hours,
        joint: Float64Array.from({ length: channels.length * hours.length }, (_, k) => significant(channels[Math.floor(k / hours.length)]! * hours[k % hours.length]!)),
        channelRecord: Object.freeze(Object.fromEntries(this.options.channels.map((c, i) => [c, channels[i]!]))),
      };
      this.armChances.set(leaf, arms);
    }
    // every channel's chance (a policy that picks another channel is weighed by it); not every
    // hour's: nine more numbers per decision row, and no evaluated policy picks its own hour yet
    return { channel: arms.channels[channelArm]!, hour: arms.hours[hourArm]!, joint: arms.joint[channelArm * arms.hours.length + hourArm]!, channels: arms.channelRecord };
  }

  /** the channel arms' Beta parameters the choice draws from: the posteriors, or their uplift */
  private channelParams(persona: string, leaf: string): Float64Array {
    const treated = this.channels.posteriors(persona, leaf);
    return this.options.uplift ? upliftParams(treated, this.background.posteriors(persona, leaf)) : treated;
  }

  /** the chance this context's draws pick each channel (what a replay weighs the log with) */
  channelChances(features: AccountFeatures, persona: string): Partial<Record<Channel, number>> {
    return { ...this.propensity(persona, ChannelModel.leafKey(features, persona), 0, 0).channels };
  }

  /** the channel arm and the hour arm (nearest bucket) a recorded choice maps to, or -1 */
  armsOf(out: Partial<ChannelOutput> | undefined): { channel: number; hour: number } {
    if (!out || typeof out.channel !== 'string') return { channel: -1, hour: -1 };
    const channel = this.options.channels.indexOf(out.channel as Channel);
    const sendHour = typeof out.sendHour === 'number' ? out.sendHour : this.options.sendHours[0]!;
    let hour = 0;
    for (let h = 1; h < this.options.sendHours.length; h++) {
      if (Math.abs(this.options.sendHours[h]! - sendHour) < Math.abs(this.options.sendHours[hour]! - sendHour)) hour = h;
    }
    return { channel, hour };
  }

  /**
   * Reads outputs['channel-time'] (a ChannelOutput) of each engagement example; returns how many
   * were used. Pipeline outcomes are left out: whether a deal followed weeks later says little
   * about whether this contact answered this channel at this hour, which is what an arm estimates.
   */
  learn(examples: readonly FeedbackExample[]): number {
    let newest = this.lastAt;
    for (const ex of examples) if (isEngagement(ex) && (ex.features.at ?? 0) > newest) newest = ex.features.at!;
    if (this.lastAt && newest > this.lastAt) {
      const factor = 0.5 ** ((newest - this.lastAt) / DAY / this.options.forgetHalfLifeDays);
      this.channels.fade(factor, dayOf(newest));
      this.hours.fade(factor, dayOf(newest));
      this.background.fade(factor, dayOf(newest));
      this.fatigue.fade(factor);
    }
    this.lastAt = newest;
    let used = 0;
    for (const ex of examples) {
      if (!isEngagement(ex)) continue;
      const out = ex.outputs['channel-time'] as (Partial<ChannelOutput> & { persona?: string; baseReward?: number }) | undefined;
      const arms = this.armsOf(out);
      if (arms.channel < 0) continue;
      const persona = typeof out?.persona === 'string' ? out.persona : ChannelModel.personaKey(addressedContact(ex.features)?.persona);
      const leaf = ChannelModel.leafKey(ex.features, persona);
      const day = dayOf(ex.features.at ?? newest);
      this.channels.add(persona, leaf, arms.channel, ex.reward, day);
      this.hours.add(persona, leaf, arms.hour, ex.reward, day);
      for (const [other, value] of Object.entries(ex.background ?? {})) {
        const arm = this.options.channels.indexOf(other as Channel);
        if (arm >= 0 && arm !== arms.channel && (value === 0 || value === 1)) this.background.add(persona, leaf, arm, value, day);
      }
      // outputs of versions before `baseReward` teach the samplers but not the curve
      if (typeof out?.baseReward === 'number') this.fatigue.add(ex.features, ex.reward, out.baseReward);
      used++;
    }
    // change detection on the channels only: when a channel stops answering every hour's rate drops
    // with it, which would reset the hours although which hour is best has not changed
    if (used && this.options.changeThreshold > 0) {
      this.changeResets += this.channels.resetChanged(this.options.changeThreshold);
    }
    this.armChances.clear();
    this.updates++;
    this.examples += used;
    return used;
  }

  /** contexts (segment × persona) with evidence of their own */
  get contexts(): number {
    return this.channels.leaves;
  }

  toState(): ChannelState {
    return { channels: this.channels.toJSON(), hours: this.hours.toJSON(), background: this.background.toJSON(), fatigueObserved: this.fatigue.toJSON(), lastAt: this.lastAt, updates: this.updates, examples: this.examples, changeResets: this.changeResets };
  }

  restore(s: ChannelState | JointChannelState): void {
    this.armChances.clear();
    if ('channels' in s) {
      this.channels.restore(s.channels);
      this.hours.restore(s.hours);
      this.background.restore(s.background);
      this.fatigue.restore(s.fatigueObserved);
      this.lastAt = s.lastAt ?? 0;
      this.changeResets = s.changeResets ?? 0;
    } else {
      // an older state with one arm per channel × hour: its counts split into the two samplers
      const C = this.options.channels.length;
      const H = this.options.sendHours.length;
      this.channels.restore(marginals(s, C, H, (c) => c));
      this.hours.restore(marginals(s, C, H, (_, h) => h));
    }
    this.updates = s.updates;
    this.examples = s.examples;
  }
}

function marginals(s: JointChannelState, C: number, H: number, armOf: (c: number, h: number) => number): BackoffState {
  const level = (rows: Record<string, number[]> | undefined): Record<string, number[]> => {
    const out: Record<string, number[]> = {};
    for (const [key, row] of Object.entries(rows ?? {})) {
      if (row.length !== C * H * 2) continue;
      const arms = armOf(C - 1, H - 1) + 1;
      const m = new Array<number>(arms * 2).fill(0);
      for (let c = 0; c < C; c++) {
        for (let h = 0; h < H; h++) {
          const a = armOf(c, h);
          m[a * 2]! += row[(c * H + h) * 2]!;
          m[a * 2 + 1]! += row[(c * H + h) * 2 + 1]!;
        }
      }
      out[key] = m;
    }
    return out;
  };
  return { global: level(s.global), persona: level(s.persona), leaf: level(s.leaf) };
}

const personaPreference = ['champion', 'economic_buyer', 'technical_evaluator', 'end_user'];

/**
 * The contact the workflow engine addresses (same rule as core's engine), for older outputs
 * without `persona`. Recorded features name contacts without their emails: then all count.
 */
export function addressedContact(f: AccountFeatures): ContactBrief | undefined {
  const withEmail = f.contacts.filter((c) => c.email);
  const reachable = withEmail.length ? withEmail : f.contacts;
  for (const p of personaPreference) {
    const c = reachable.find((x) => x.persona === p);
    if (c) return c;
  }
  return reachable[0];
}

/** an example that says whether the contact answered the treatment (not a pipeline outcome) */
export function isEngagement(ex: FeedbackExample): boolean {
  return ex.outcome === 'engaged' || ex.outcome === 'not_engaged';
}

/**
 * What a treatment adds, as Beta parameters to draw from: each arm keeps its evidence (α + β) and
 * its mean becomes the answer rate minus the background rate of its answer signal (floored just
 * above 0). Why: an answer signal is matched to a treatment only by contact, channel and window,
 * so a contact's ad click on a campaign it would have clicked anyway counts as an answer too;
 * where such background clicks are as frequent as answers, the plain rates favour the channel with
 * the most background, not the one that works (measured in docs/benchmarks.md). The draws and the
 * logged propensity use these same parameters, so off-policy evaluation stays exact.
 */
export function upliftParams(treated: Float64Array, background: Float64Array): Float64Array {
  const out = new Float64Array(treated.length);
  for (let a = 0; a < treated.length / 2; a++) {
    const n = treated[a * 2]! + treated[a * 2 + 1]!;
    const b = background[a * 2]! / (background[a * 2]! + background[a * 2 + 1]!);
    const m = Math.max(1e-4, treated[a * 2]! / n - b);
    out[a * 2] = m * n;
    out[a * 2 + 1] = (1 - m) * n;
  }
  return out;
}

/** one Thompson draw per arm from explicit Beta parameters (as BackoffSampler.choose draws) */
function drawArm(params: Float64Array, rng: Rng): { arm: number; mean: number; averageMean: number } {
  let arm = 0;
  let bestDraw = -1;
  let mean = 0;
  let sum = 0;
  for (let a = 0; a < params.length / 2; a++) {
    const m = params[a * 2]! / (params[a * 2]! + params[a * 2 + 1]!);
    sum += m;
    const draw = rng.beta(params[a * 2]!, params[a * 2 + 1]!);
    if (draw > bestDraw) [bestDraw, arm, mean] = [draw, a, m];
  }
  return { arm, mean, averageMean: (sum * 2) / params.length };
}

// predict/channel-time: contextual Thompson sampling. Arms are channel × send-hour bucket; the
// context is segment (industry × size) × persona. Each (context, arm) has a Beta posterior whose
// prior is the persona-level posterior mean, whose own prior is the global arm's posterior mean
// (hierarchical backoff), so a new segment starts from what worked for the persona everywhere.
import type { AccountFeatures, Channel, ContactBrief, ChannelInput, ChannelOutput, FeedbackExample } from '@revloop/core';
import { BetaTable, posteriorMean } from './beta-table.js';
import type { Rng } from './random.js';

export interface ChannelState {
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
}

const GLOBAL = '*';

export class ChannelModel {
  readonly arms: { channel: Channel; sendHour: number }[] = [];
  readonly global: BetaTable;
  readonly persona: BetaTable;
  readonly leaf: BetaTable;
  updates = 0;
  examples = 0;

  constructor(private readonly options: ChannelOptions) {
    for (const channel of options.channels) for (const sendHour of options.sendHours) this.arms.push({ channel, sendHour });
    this.global = new BetaTable(this.arms.length);
    this.persona = new BetaTable(this.arms.length);
    this.leaf = new BetaTable(this.arms.length);
  }

  static personaKey(persona: string | null | undefined): string {
    return persona ?? 'unknown';
  }

  static leafKey(f: AccountFeatures, persona: string): string {
    return `${f.industry ?? '?'}|${f.size ?? '?'}|${persona}`;
  }

  /** posterior (alpha, beta) of arm `a` in a context, through the backoff chain */
  private prior(a: number, personaRow: Float64Array | undefined, globalRow: Float64Array | undefined): number {
    const { priorStrength: k, priorRate } = this.options;
    const mG = posteriorMean(globalRow, a, priorRate, k);
    return posteriorMean(personaRow, a, mG, k);
  }

  choose(input: ChannelInput, rng: Rng): ChannelOutput {
    const persona = ChannelModel.personaKey(input.contact?.persona);
    const g = this.global.get(GLOBAL);
    const p = this.persona.get(persona);
    const l = this.leaf.get(ChannelModel.leafKey(input.features, persona));
    const k = this.options.priorStrength;
    let best = 0;
    let bestDraw = -1;
    let bestMean = 0;
    for (let a = 0; a < this.arms.length; a++) {
      const m = this.prior(a, p, g);
      const s = l ? l[a * 2]! : 0;
      const f = l ? l[a * 2 + 1]! : 0;
      const alpha = s + k * m;
      const beta = f + k * (1 - m);
      const draw = rng.beta(alpha, beta);
      if (draw > bestDraw) {
        bestDraw = draw;
        best = a;
        bestMean = alpha / (alpha + beta);
      }
    }
    const arm = this.arms[best]!;
    // `persona` is extra to ChannelOutput: update() reads it back to credit the right context
    return { channel: arm.channel, sendHour: arm.sendHour, expectedReward: Math.round(bestMean * 1e6) / 1e6, persona } as ChannelOutput;
  }

  /** the arm a recorded choice maps to (nearest hour bucket), or -1 */
  armOf(out: Partial<ChannelOutput> | undefined): number {
    if (!out || typeof out.channel !== 'string') return -1;
    const hour = typeof out.sendHour === 'number' ? out.sendHour : this.options.sendHours[0]!;
    let best = -1;
    let dist = Infinity;
    for (let a = 0; a < this.arms.length; a++) {
      const arm = this.arms[a]!;
      if (arm.channel !== out.channel) continue;
      const d = Math.abs(arm.sendHour - hour);
      if (d < dist) [best, dist] = [a, d];
    }
    return best;
  }

  /**
   * Reads outputs['channel-time'] (a ChannelOutput) of each engagement example; returns how many
   * were used. Pipeline outcomes are left out: whether a deal followed weeks later says little
   * about whether this contact answered this channel at this hour, which is what an arm estimates.
   */
  learn(examples: readonly FeedbackExample[]): number {
    let used = 0;
    for (const ex of examples) {
      if (!isEngagement(ex)) continue;
      const out = ex.outputs['channel-time'] as (Partial<ChannelOutput> & { persona?: string }) | undefined;
      const a = this.armOf(out);
      if (a < 0) continue;
      const persona = typeof out?.persona === 'string' ? out.persona : ChannelModel.personaKey(addressedContact(ex.features)?.persona);
      this.global.add(GLOBAL, a, ex.reward);
      this.persona.add(persona, a, ex.reward);
      this.leaf.add(ChannelModel.leafKey(ex.features, persona), a, ex.reward);
      used++;
    }
    this.updates++;
    this.examples += used;
    return used;
  }

  toState(): ChannelState {
    return { global: this.global.toJSON(), persona: this.persona.toJSON(), leaf: this.leaf.toJSON(), updates: this.updates, examples: this.examples };
  }

  restore(s: ChannelState): void {
    this.global.restore(s.global);
    this.persona.restore(s.persona);
    this.leaf.restore(s.leaf);
    this.updates = s.updates;
    this.examples = s.examples;
  }
}

const personaPreference = ['champion', 'economic_buyer', 'technical_evaluator', 'end_user'];

/** The contact the workflow engine addresses (same rule as core's engine), for older outputs without `persona`. */
export function addressedContact(f: AccountFeatures): ContactBrief | undefined {
  const reachable = f.contacts.filter((c) => c.email);
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

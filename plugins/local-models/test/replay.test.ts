// The channel model replayed over a log (`revloop models evaluate --settings`): it learns each
// answer only once it is known, in time order; the settings merged into its config change what it
// chooses; settings the config refuses are refused with what is wrong.
import { describe, expect, it } from 'vitest';
import type { ChannelOutput, ReplayStep } from '@revloop/core';
import localModels, { ChannelModel, localModelsConfigSchema } from '../src/index.js';
import { replayChannel, replaySettings } from '../src/replay.js';
import { prng, syntheticAccounts } from './synthetic.js';

const DAY = 86_400_000;
const T0 = 1_700_000_000_000;

/** a log of 20 days × 40 decisions, channels spread evenly; only email is ever answered (40% of the time) */
function log(): ReplayStep[] {
  const r = prng(5);
  const accounts = syntheticAccounts(40, 3);
  const channels = ['email', 'linkedin', 'google', 'sales_task'] as const;
  const steps: ReplayStep[] = [];
  for (let day = 0; day < 20; day++) {
    accounts.forEach((a, i) => {
      const channel = channels[(day + i) % 4]!;
      const decidedAt = T0 + day * DAY + i;
      steps.push({
        features: { ...a.features, at: decidedAt },
        output: { channel, sendHour: 10, expectedReward: 0.05, persona: 'champion' } as ChannelOutput,
        reward: channel === 'email' && r() < 0.4 ? 1 : 0,
        decidedAt,
        answerKnownAt: decidedAt + DAY,
      });
    });
  }
  // out of time order on purpose: the replay sorts
  return steps.reverse();
}

const config = localModelsConfigSchema.parse({});
const emailChance = (c: Partial<Record<string, number>> | undefined) => c?.email ?? 0;

describe('replaying the channel model over a log', () => {
  it('learns each answer once it is known, and so moves toward the channel that answers', () => {
    const steps = log();
    const chances = replayChannel(new ChannelModel(config), steps);
    expect(chances).toHaveLength(steps.length);
    const onDay = (d: number) => steps.map((s, i) => ({ s, c: chances[i] })).filter(({ s }) => Math.floor((s.decidedAt - T0) / DAY) === d);
    // day 0: nothing is known yet, every context is at the prior (all channels equally likely)
    for (const { c } of onDay(0)) for (const ch of ['email', 'linkedin', 'google', 'sales_task']) expect(c![ch as 'email']).toBeCloseTo(0.25, 6);
    // a decision learns nothing from the answers of its own day (their window is still open)
    const mean = (d: number) => onDay(d).reduce((a, { c }) => a + emailChance(c), 0) / onDay(d).length;
    expect(mean(1)).toBeGreaterThan(0.25);
    expect(mean(19)).toBeGreaterThan(0.9);
    // every distribution sums to 1 (each chance is rounded to a few significant digits)
    for (const c of chances) expect(Object.values(c!).reduce((a, b) => a + b!, 0)).toBeCloseTo(1, 3);
  });

  it('answers nothing learned when the answers are known only after the log ends', () => {
    const steps = log().map((s) => ({ ...s, answerKnownAt: T0 + 100 * DAY }));
    const chances = replayChannel(new ChannelModel(config), steps);
    for (const c of chances) expect(emailChance(c)).toBeCloseTo(0.25, 6);
  });

  it('applies the settings: a model limited to two channels never picks the others', () => {
    const chances = replayChannel(new ChannelModel(replaySettings(config, { channels: ['linkedin', 'google'] })), log());
    for (const c of chances) {
      expect(c!.email ?? 0).toBe(0);
      expect((c!.linkedin ?? 0) + (c!.google ?? 0)).toBeCloseTo(1, 3);
    }
    // a stronger prior moves more slowly than the default on the same answers
    const slow = replayChannel(new ChannelModel(replaySettings(config, { priorStrength: 200 })), log());
    const fast = replayChannel(new ChannelModel(config), log());
    const total = (cs: typeof fast) => cs.reduce((a, c) => a + emailChance(c), 0);
    expect(total(slow)).toBeLessThan(total(fast));
  });

  it('refuses settings the config does not accept, naming them', async () => {
    expect(() => replaySettings(config, { priorStrenght: 5 })).toThrow(/priorStrenght/);
    expect(() => replaySettings(config, { priorStrength: -1 })).toThrow(/priorStrength/);
    const capability = localModels.capabilities.find((c) => c.task === 'channel-time')!;
    await expect(capability.replay!({ config } as never, { channels: ['fax'] }, log())).rejects.toThrow(/channels/);
    const chances = await capability.replay!({ config } as never, {}, log());
    expect(chances).toHaveLength(800);
  });
});

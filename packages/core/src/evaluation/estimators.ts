// Off-policy estimates of a policy's answer rate from logged choices:
// - IPS (inverse propensity): the mean over the log of reward × [the policy picks the logged
//   channel] / the logged policy's chance of that channel. Unbiased when every chance > 0.
// - SNIPS: the same, divided by the mean weight instead of n (less variance, slightly biased).
// - DR (doubly robust): a reward model's prediction for the policy's channel, corrected by the
//   weighted error of that model where the policy matches the log. Unbiased when either the
//   chances or the reward model are right; much less variance than IPS.
// Every estimate takes frequency weights (how many times a bootstrap resample drew the item's
// account), so the bootstrap reuses the same code.
import type { Channel } from '../workflow/tasks.js';
import { channels } from '../workflow/tasks.js';

export interface EstimateInput {
  /** per item: context key index, logged channel index, logged chance, reward */
  context: Int32Array;
  arm: Int8Array;
  propensity: Float64Array;
  reward: Float64Array;
  contexts: number;
}

export interface PointEstimates {
  ips: number;
  snips: number;
  dr: number;
  /** items where the policy picks the logged channel (a stochastic policy: the sum of its chances of it) */
  matches: number;
  /** effective sample size of the weights: (Σw)² / Σw² */
  ess: number;
}

const ARMS = channels.length;
/** pseudo-observations the context's rate borrows from the channel's overall rate */
const SHRINK = 10;

export const armIndex = (c: Channel): number => channels.indexOf(c);

/**
 * The reward model: per context × channel, the answer rate shrunk toward that channel's rate over
 * all contexts (itself shrunk toward the overall rate). Returns q[context * ARMS + arm].
 */
export function fitRewardModel(input: EstimateInput, weight: Float64Array | undefined): Float64Array {
  const n = input.reward.length;
  const s = new Float64Array(input.contexts * ARMS);
  const m = new Float64Array(input.contexts * ARMS);
  const armS = new Float64Array(ARMS);
  const armN = new Float64Array(ARMS);
  let allS = 0;
  let allN = 0;
  for (let i = 0; i < n; i++) {
    const w = weight ? weight[i]! : 1;
    if (!w) continue;
    const k = input.context[i]! * ARMS + input.arm[i]!;
    s[k]! += w * input.reward[i]!;
    m[k]! += w;
    armS[input.arm[i]!]! += w * input.reward[i]!;
    armN[input.arm[i]!]! += w;
    allS += w * input.reward[i]!;
    allN += w;
  }
  const overall = allN ? allS / allN : 0;
  const q = new Float64Array(input.contexts * ARMS);
  for (let a = 0; a < ARMS; a++) {
    const armRate = (armS[a]! + SHRINK * overall) / (armN[a]! + SHRINK);
    for (let c = 0; c < input.contexts; c++) {
      const k = c * ARMS + a;
      q[k] = (s[k]! + SHRINK * armRate) / (m[k]! + SHRINK);
    }
  }
  return q;
}

/**
 * A policy to estimate: deterministic (an Int8Array, the channel index per item, −1 = none) or
 * stochastic (a Float64Array of items × channels: its chance of each channel per item; an item
 * whose chances are all 0 or NaN is one the policy cannot say).
 */
export type Target = Int8Array | Float64Array;

/** the channels the policy picks for item i, as chances (null: none) */
function chancesAt(target: Target, i: number, out: Float64Array): Float64Array | null {
  if (target instanceof Int8Array) {
    if (target[i]! < 0) return null;
    out.fill(0);
    out[target[i]!] = 1;
    return out;
  }
  let sum = 0;
  for (let a = 0; a < ARMS; a++) {
    const p = target[i * ARMS + a]!;
    out[a] = Number.isFinite(p) && p > 0 ? p : 0;
    sum += out[a]!;
  }
  return sum > 0 ? out : null;
}

/** the items a policy has a channel for */
export function covered(target: Target, n: number): number {
  const scratch = new Float64Array(ARMS);
  let k = 0;
  for (let i = 0; i < n; i++) if (chancesAt(target, i, scratch)) k++;
  return k;
}

/**
 * IPS, SNIPS and DR of the policy `target`: each item's weight is the policy's chance of the
 * logged channel over the logging policy's (1/propensity or 0 for a deterministic one); DR adds
 * the reward model's prediction averaged over the policy's chances.
 */
export function estimate(input: EstimateInput, target: Target, weight?: Float64Array): PointEstimates {
  const q = fitRewardModel(input, weight);
  const n = input.reward.length;
  let total = 0;
  let ips = 0;
  let dr = 0;
  let sw = 0;
  let sw2 = 0;
  let matches = 0;
  const scratch = new Float64Array(ARMS);
  for (let i = 0; i < n; i++) {
    const f = weight ? weight[i]! : 1;
    if (!f) continue;
    const pi = chancesAt(target, i, scratch);
    if (!pi) continue;
    total += f;
    const c = input.context[i]! * ARMS;
    const match = pi[input.arm[i]!]!;
    const w = match / input.propensity[i]!;
    const r = input.reward[i]!;
    let predicted = 0;
    for (let a = 0; a < ARMS; a++) if (pi[a]!) predicted += pi[a]! * q[c + a]!;
    ips += f * w * r;
    dr += f * (predicted + w * (r - q[c + input.arm[i]!]!));
    sw += f * w;
    sw2 += f * w * w;
    matches += f * match;
  }
  return {
    ips: total ? ips / total : NaN,
    snips: sw ? ips / sw : NaN,
    dr: total ? dr / total : NaN,
    matches,
    ess: sw2 ? (sw * sw) / sw2 : 0,
  };
}

/** the logging policy's own value: the mean logged reward (weights all 1) */
export function loggedValue(input: EstimateInput, weight?: Float64Array): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < input.reward.length; i++) {
    const f = weight ? weight[i]! : 1;
    s += f * input.reward[i]!;
    n += f;
  }
  return n ? s / n : NaN;
}

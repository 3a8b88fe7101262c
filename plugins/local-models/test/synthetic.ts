// Synthetic AccountFeatures for tests and the benchmark: a seeded generator with a hidden
// conversion probability (intent) per account, so learning can be measured on held-out data.
import { channels, seededRandom, signalKinds, type AccountFeatures, type ContactBrief, type FeedbackExample, type SignalKind } from '@revloop/core';

/** the seeded generator of the synthetic data */
export const prng = seededRandom;

export const industries = ['software', 'fintech', 'healthcare', 'retail', 'manufacturing'];
export const sizes = ['smb', 'mid', 'enterprise'];
export const personas = ['economic_buyer', 'champion', 'technical_evaluator', 'end_user'];
export const topics = ['data-quality', 'attribution', 'pipeline', 'forecasting', 'security'];

const poisson = (r: () => number, mean: number) => {
  let n = 0;
  let p = Math.exp(-mean);
  let s = p;
  const u = r();
  while (u > s && n < 50) {
    n++;
    p *= mean / n;
    s += p;
  }
  return n;
};

export interface SyntheticAccount {
  features: AccountFeatures;
  /** the hidden probability that a treatment converts */
  truth: number;
}

/**
 * Hidden truth: a latent intent drives demo/pricing/form signals; conversion probability rises
 * with intent, is higher in fintech and lower in retail (the prior does not know this), and
 * page views matter more than the prior believes.
 */
export function syntheticAccount(r: () => number, i: number, at = 1_700_000_000_000): SyntheticAccount {
  const intent = r() < 0.3 ? 0.5 + r() * 0.5 : r() * 0.4;
  const industry = industries[Math.floor(r() * industries.length)]!;
  const size = sizes[Math.floor(r() * sizes.length)]!;
  const counts = Object.fromEntries(signalKinds.map((k) => [k, 0])) as Record<SignalKind, number>;
  counts.page_view = poisson(r, 1 + 6 * intent);
  counts.pricing_visit = poisson(r, 0.8 * intent);
  counts.demo_visit = poisson(r, 0.6 * intent);
  counts.form_fill = poisson(r, 0.2 * intent);
  counts.content_download = poisson(r, 0.5 + intent);
  counts.email_open = poisson(r, 2);
  counts.ad_impression = poisson(r, 10);
  counts.ad_click = poisson(r, 0.3);
  const topicCounts: Record<string, number> = {};
  const favourite = topics[Math.floor(r() * topics.length)]!;
  topicCounts[favourite] = 1 + poisson(r, 3);
  if (r() < 0.5) {
    const other = topics[Math.floor(r() * topics.length)]!;
    topicCounts[other] = (topicCounts[other] ?? 0) + poisson(r, 1);
  }
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const contacts: ContactBrief[] = [{ id: `con_${i}_1`, email: `p${i}@example.com`, persona: personas[Math.floor(r() * personas.length)]!, title: null }];
  const z = -3 + 3 * intent + 0.25 * counts.page_view + (industry === 'fintech' ? 1 : industry === 'retail' ? -1 : 0);
  return {
    features: {
      accountId: `acc_${String(i).padStart(6, '0')}`,
      industry,
      size,
      region: r() < 0.5 ? 'emea' : 'na',
      counts,
      topics: topicCounts,
      daysSinceLastSignal: total ? r() * 10 : Number.POSITIVE_INFINITY,
      hasOpenOpportunity: r() < 0.1,
      recentTreatments: Object.fromEntries(channels.map((c) => [c, 0])) as AccountFeatures['recentTreatments'],
      contacts,
      at,
    },
    truth: 1 / (1 + Math.exp(-z)),
  };
}

export function syntheticAccounts(n: number, seed: number, at?: number): SyntheticAccount[] {
  const r = prng(seed);
  return Array.from({ length: n }, (_, i) => syntheticAccount(r, i + seed * 1_000_000, at));
}

/** Feedback examples drawn from the hidden truth. */
export function syntheticFeedback(accounts: SyntheticAccount[], seed: number, outputs: (a: SyntheticAccount) => Record<string, unknown> = () => ({})): FeedbackExample[] {
  const r = prng(seed);
  return accounts.map((a, i) => {
    const reward = r() < a.truth ? 1 : 0;
    return { decisionId: `dec_${seed}_${i}`, accountId: a.features.accountId, features: a.features, outputs: outputs(a), reward, valueMicros: 0, outcome: reward ? 'opportunity_created' : 'none' };
  });
}

// The local models' config: a seed for reproducible sampling, the arms of the channel/send-time
// bandit, the content variants, and the intent classifier's learning knobs.
import { z } from 'zod';
import { channels } from '@revloop/core';

export const localModelsConfigSchema = z
  .object({
    /** seeds every sampled decision (Thompson sampling) together with the account and time */
    seed: z.number().int().default(1),
    /** send-hour buckets of the channel/time bandit (local hours 0..23): every two hours from 6 to 22, so a best hour early or late in the day is within an hour of one */
    sendHours: z.array(z.number().int().min(0).max(23)).min(1).default([6, 8, 10, 12, 14, 16, 18, 20, 22]),
    /**
     * choose channels by what a treatment adds (answer rate − the same signal's rate without that
     * channel's treatment), not by raw answer rate; off by default until measured better
     */
    uplift: z.boolean().default(false),
    /** channels the bandit may choose */
    channels: z.array(z.enum(channels)).min(1).default([...channels]),
    /** pseudo-observations a parent level lends its child (hierarchical backoff strength) */
    priorStrength: z.number().positive().default(20),
    /** the channel/time bandit's evidence counts half as much after this many days: it follows drift */
    forgetHalfLifeDays: z.number().positive().default(21),
    /** change detection: how many days back it searches for the day the answers changed */
    changeWindowDays: z.number().int().min(1).max(60).default(7),
    /** G statistic (chi-square, 1 dof) above which an arm's old evidence is dropped; 0 = off */
    changeThreshold: z.number().min(0).default(16),
    /** prior mean reward of an untried arm / topic / variant */
    priorRate: z.number().min(0.0001).max(0.9999).default(0.05),
    /** content variants (A/B/…) and the ones that carry an offer */
    variants: z.array(z.string().min(1)).min(1).default(['a', 'b', 'discount']),
    offerVariants: z.array(z.string().min(1)).default(['discount']),
    /** topic used when the account consumed none and nothing was learned yet */
    defaultTopic: z.string().min(1).default('product'),
    intent: z
      .object({
        learningRate: z.number().positive().max(1).default(0.03),
        /** L2 pull toward the prior weights (keeps day-1 knowledge until data disagrees) */
        l2: z.number().min(0).default(0.003),
        /** SGD passes over each feedback batch */
        epochs: z.number().int().min(1).max(20).default(2),
        /** "high" when score >= threshold (an absolute probability; the run's action cap ranks the rest) */
        threshold: z.number().min(0).max(1).default(0.05),
        /** buckets for hashed industry / size / region features */
        hashBuckets: z.number().int().min(4).max(4096).default(64),
      })
      .strict()
      .default({ learningRate: 0.03, l2: 0.003, epochs: 2, threshold: 0.05, hashBuckets: 64 }),
  })
  .strict();

export type LocalModelsConfig = z.infer<typeof localModelsConfigSchema>;

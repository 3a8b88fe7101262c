// The brand policy: claims that must never appear, disclaimers some segments require, length
// limits, and words whose tone the brand avoids.
import { z } from 'zod';

export const disclaimerRuleSchema = z
  .object({
    /** the line the body must contain (case-insensitive, whitespace-normalized) */
    text: z.string().min(1),
    /** applies to accounts in these industries (any industry when omitted) */
    industries: z.array(z.string().min(1)).min(1).optional(),
    /** …and of these sizes (any size when omitted) */
    sizes: z.array(z.string().min(1)).min(1).optional(),
    /** only when the message carries an offer */
    offersOnly: z.boolean().default(false),
  })
  .strict();

export const brandPolicySchema = z
  .object({
    /** phrases refused anywhere in subject or body (case-insensitive, whole words) */
    bannedClaims: z.array(z.string().min(1)).default([]),
    requiredDisclaimers: z.array(disclaimerRuleSchema).default([]),
    maxSubjectLength: z.number().int().positive().default(120),
    maxBodyLength: z.number().int().positive().default(2000),
    toneWords: z.object({ avoid: z.array(z.string().min(1)).default([]) }).strict().default({ avoid: [] }),
  })
  .strict();

export type BrandPolicy = z.infer<typeof brandPolicySchema>;
export type BrandPolicyInput = z.input<typeof brandPolicySchema>;

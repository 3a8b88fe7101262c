// @revloop/plugin-brand-guard: evaluate/brand — a message against the brand policy in config
// (banned claims, required disclaimers, length limits, tone). Deterministic, free (quality 0.9).
import { defineModel, type BrandInput, type BrandOutput } from '@revloop/core';
import { brandPolicySchema } from './config.js';
import { checkBrand } from './check.js';

export const brandGuard = defineModel({
  name: '@revloop/plugin-brand-guard',
  version: '0.1.0',
  description: 'Brand-compliance check: banned claims, required disclaimers, length limits, tone words.',
  config: brandPolicySchema,
  capabilities: [
    {
      capability: 'evaluate',
      task: 'brand',
      quality: 0.9,
      costMicros: 0,
      async invoke(ctx, input: BrandInput) {
        const output: BrandOutput = checkBrand(ctx.config, input.message, input.features);
        return { output, costMicros: 0, modelVersion: 'brand-policy@1' };
      },
    },
  ],
});

export default brandGuard;
export { checkBrand, phraseRegex } from './check.js';
export { brandPolicySchema, disclaimerRuleSchema, type BrandPolicy, type BrandPolicyInput } from './config.js';

// The default model plugins of a run: the embedded local models (no network) and the brand guard.
import type { RevloopConfigInput } from '@revloop/core';
import { localModels } from '@revloop/plugin-local-models';
import { brandGuard } from '@revloop/plugin-brand-guard';
import { defaultBrandPolicy } from './workflow-config.js';

/**
 * `topics` = the market's topics. The first is the content model's topic for an account that read
 * nothing before any topic has paid (day 0): the plugin's own default, 'product', is a guess that
 * names none of the sandbox's topics, and a treatment on a topic the market lacks answers less.
 */
export function defaultModels(scenario: { seed: number; topics: readonly string[] }): NonNullable<RevloopConfigInput['models']> {
  return {
    // a scenario has at least one topic (its schema says so)
    local: { plugin: localModels, seed: scenario.seed, defaultTopic: scenario.topics[0] },
    brand: { plugin: brandGuard, ...defaultBrandPolicy },
  };
}

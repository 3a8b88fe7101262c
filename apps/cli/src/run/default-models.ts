// The default model plugins of a run: the embedded local models (no network) and the brand guard.
import type { RevloopConfigInput } from '@revloop/core';
import { localModels } from '@revloop/plugin-local-models';
import { brandGuard } from '@revloop/plugin-brand-guard';
import { defaultBrandPolicy } from '../loop/workflow-config.js';

export function defaultModels(seed: number): NonNullable<RevloopConfigInput['models']> {
  return {
    local: { plugin: localModels, seed },
    brand: { plugin: brandGuard, ...defaultBrandPolicy },
  };
}

// Model routing: a step names a capability + task; the router picks, among the enabled model
// plugins offering it, the cheapest whose quality is high enough (ties: the better one).
import type { Registry, PluginInstance } from '../registry.js';
import type { CapabilityDefinition, ModelDefinition } from '../contract/model.js';
import { RevloopError } from '../errors.js';

export interface Route {
  instance: PluginInstance<ModelDefinition>;
  capability: CapabilityDefinition;
}

export function candidates(registry: Registry, capability: string, task: string, minQuality: number): Route[] {
  const out: Route[] = [];
  for (const instance of registry.models.values()) {
    if (!instance.enabled) continue;
    for (const c of instance.definition.capabilities) {
      if (c.capability === capability && c.task === task && c.quality >= minQuality) out.push({ instance, capability: c });
    }
  }
  return out.sort((a, b) => a.capability.costMicros - b.capability.costMicros || b.capability.quality - a.capability.quality);
}

export function route(registry: Registry, capability: string, task: string, minQuality: number, where: string): Route {
  const found = candidates(registry, capability, task, minQuality);
  if (found.length === 0) {
    throw new RevloopError('NO_MODEL_FOR_STEP', `no enabled model plugin offers ${capability}/${task} with quality >= ${minQuality}`, {
      where,
      fix: 'enable a model plugin that provides it under `models:` (e.g. @revloop/plugin-local-models), or lower the step\'s minQuality',
      kind: 'bad_input',
    });
  }
  return found[0]!;
}

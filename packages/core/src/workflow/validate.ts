// Refuses an invalid workflow at config load, with the config path of the problem: an unknown
// task, a step whose input is never produced, an action of a connector that is not enabled or
// that the connector does not have, a placeholder of an action's input that cannot be filled.
import type { RevloopConfig } from '../config/schema.js';
import type { Registry } from '../registry.js';
import { RevloopError } from '../errors.js';
import { candidates } from './router.js';
import { isCapabilityStep, isExecuteStep, isGateStep, type WorkflowConfig } from './schema.js';
import { checkTemplate, contextPaths, conversionPaths } from './template-check.js';
import { customFieldRegistry } from './custom-fields.js';

/** which earlier task each standard task reads */
const needs: Record<string, string[]> = {
  intent: [],
  content: ['intent'],
  message: ['content'],
  brand: ['message'],
  'channel-time': ['content'],
};

function fail(where: string, message: string, fix: string): never {
  throw new RevloopError('WORKFLOW_INVALID', message, { where, fix, kind: 'bad_input' });
}

export function validateWorkflows(config: RevloopConfig, registry: Registry): void {
  // {{account.ids.X}} names any configured connector: a disabled one's ids stay in the identity map
  const connectorNames = [...registry.connectors.keys()].sort();
  // {{account.custom.X}} / {{contact.custom.X}}: the declared custom fields
  const custom = customFieldRegistry(config, registry);
  const paths = [...contextPaths, ...custom.account.map((f) => `account.custom.${f.name}`), ...custom.contact.map((f) => `contact.custom.${f.name}`)];
  for (const [name, workflow] of Object.entries(config.workflows) as [string, WorkflowConfig][]) {
    if (!workflow.enabled) continue;
    const produced = new Set<string>();
    const seen = new Set<string>();
    workflow.steps.forEach((step, i) => {
      const where = `workflows.${name}.steps.${i}`;
      if (seen.has(step.name)) fail(`${where}.name`, `two steps are named "${step.name}"`, 'give every step its own name');
      seen.add(step.name);
      if (isCapabilityStep(step)) {
        for (const need of needs[step.task] ?? []) {
          if (!produced.has(need)) fail(where, `step "${step.name}" (${step.capability}/${step.task}) needs the output of a "${need}" step, and no earlier step produces it`, `add a step with task "${need}" before "${step.name}"`);
        }
        if (candidates(registry, step.capability, step.task, step.minQuality).length === 0) {
          fail(where, `no enabled model plugin offers ${step.capability}/${step.task}${step.minQuality ? ` with quality >= ${step.minQuality}` : ''}`, 'enable a model plugin that provides it under `models:` (e.g. @revloop/plugin-local-models)');
        }
        if (step.retryStep && !workflow.steps.slice(0, i).some((s) => s.name === step.retryStep)) {
          fail(`${where}.retryStep`, `retryStep "${step.retryStep}" is not an earlier step`, 'name a step that comes before this one');
        }
        produced.add(step.task);
      } else if (isExecuteStep(step)) {
        if (!produced.has('channel-time')) fail(where, `the execute step "${step.name}" needs a channel, and no earlier step has task "channel-time"`, 'add a predict/channel-time step before it');
        for (const [channel, target] of Object.entries(step.execute)) {
          checkAction(registry, target!.action, `${where}.execute.${channel}.action`);
          checkTemplate(target!.input, `${where}.execute.${channel}.input`, connectorNames, paths);
        }
      } else if (isGateStep(step) && !produced.size) {
        fail(where, 'an approval gate as the first step has nothing to approve', 'put the gate after the steps that decide');
      }
    });
    (workflow.conversions ?? []).forEach((upload, i) => {
      const where = `workflows.${name}.conversions.${i}`;
      checkAction(registry, upload.action, `${where}.action`);
      checkTemplate(upload.item, `${where}.item`, connectorNames, conversionPaths);
    });
  }
}

/** `connector.action` names an enabled connector and one of its actions */
function checkAction(registry: Registry, target: string, where: string): void {
  const [connector, action] = target.split('.') as [string, string];
  const instance = registry.connectors.get(connector);
  if (!instance || !instance.enabled) {
    fail(where, `connector "${connector}" is not enabled`, `enable it under connectors.${connector}, or pick an action of an enabled connector (${[...registry.connectors.values()].filter((c) => c.enabled).map((c) => c.name).join(', ') || 'none enabled'})`);
  }
  if (!instance.definition.actions?.some((a) => a.name === action)) {
    fail(where, `connector "${connector}" has no action "${action}"`, `use one of: ${(instance.definition.actions ?? []).map((a) => a.name).join(', ') || '(it has no actions)'}`);
  }
}

// A candidate that is the workflow's own channel model with other settings: the model's plugin
// replays the logged decisions in time order with the settings merged into its config, learning
// each answer once it is known, and says its chance of each channel at every decision. The log is
// then weighed by those chances like any stochastic policy (estimators.ts).
import type { Runtime } from '../runtime.js';
import { RevloopError, errorMessage, isRevloopError } from '../errors.js';
import { candidates } from '../workflow/router.js';
import type { CapabilityDefinition } from '../contract/model.js';
import type { PluginContext } from '../context/context.js';
import { isCapabilityStep, type WorkflowConfig } from '../workflow/schema.js';
import type { AccountFeatures, ReplayStep } from '../workflow/tasks.js';
import type { Candidate } from './candidates.js';
import type { LoggedChoice } from './logged-choices.js';

/** `settings:` + the settings as written: how the candidate is named in the report */
const settingsName = (settings: Record<string, unknown>): string => `settings:${JSON.stringify(settings)}`;

/** Parses one --settings value: a JSON object (refused with where and how to fix otherwise). */
export function parseSettings(text: string, where = '--settings'): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new RevloopError('BAD_ARGUMENT', `${where} is not JSON: ${errorMessage(e)}`, { where, fix: `pass a JSON object of the channel model's settings, e.g. ${where} '{"priorStrength":4}'`, kind: 'bad_input' });
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new RevloopError('BAD_ARGUMENT', `${where} must be a JSON object of settings, not ${JSON.stringify(value)}`, { where, fix: `e.g. ${where} '{"priorStrength":4}'`, kind: 'bad_input' });
  }
  return value as Record<string, unknown>;
}

/** A channel model to replay when the config enables none (a store `revloop run` wrote, read with another config). */
export interface ReplayFallback {
  name: string;
  capability: CapabilityDefinition;
  config: unknown;
}

/**
 * The channel model the workflow routes its channel step to, replayed with `settings`; when the
 * config enables no channel model, `fallback` (the CLI gives the models `revloop run` decides with).
 * Refused (bad input) when the model cannot replay, or when its plugin refuses the settings.
 */
export function settingsCandidate(runtime: Runtime, workflowName: string, settings: Record<string, unknown>, fallback?: ReplayFallback): Candidate {
  const workflow = runtime.loaded.config.workflows[workflowName] as WorkflowConfig | undefined;
  const step = workflow?.steps.find((s) => isCapabilityStep(s) && s.capability === 'predict' && s.task === 'channel-time');
  const routed = candidates(runtime.registry, 'predict', 'channel-time', step && isCapabilityStep(step) ? step.minQuality : 0)[0];
  if (!routed && !fallback) {
    throw new RevloopError('NO_MODEL_FOR_STEP', 'no enabled model plugin offers predict/channel-time: there is no channel model to replay with other settings', {
      where: '--settings',
      fix: 'run from the folder of the config whose workflow made the decisions (its models: enable the channel model), or leave --settings out',
      kind: 'bad_input',
    });
  }
  const r = routed ? { name: routed.instance.name, capability: routed.capability, context: () => runtime.contextFor(routed.instance) } : { name: fallback!.name, capability: fallback!.capability, context: () => ({ config: fallback!.config }) as PluginContext };
  const name = settingsName(settings);
  if (!r.capability.replay) {
    throw new RevloopError('REPLAY_UNSUPPORTED', `the channel model ${r.name} cannot replay the log with other settings`, {
      where: '--settings',
      fix: 'compare settings of a model that offers replay (@revloop/plugin-local-models does), or leave --settings out',
      kind: 'bad_input',
    });
  }
  const replay = r.capability.replay.bind(r.capability);
  return {
    name,
    description: `${r.name} with ${JSON.stringify(settings)}, replayed over the window from its priors`,
    async replay(choices: readonly LoggedChoice[]) {
      const usable = choices.map((c, i) => ({ c, i })).filter(({ c }) => c.features && c.output && c.answerKnownAt !== undefined);
      const steps: ReplayStep[] = usable.map(({ c }) => ({ features: withInfinity(c.features!), output: c.output!, reward: c.reward, decidedAt: c.at, answerKnownAt: c.answerKnownAt! }));
      let chances;
      try {
        chances = await replay(r.context(), settings, steps);
      } catch (e) {
        if (isRevloopError(e)) throw e;
        throw new RevloopError('BAD_SETTINGS', `${name}: ${errorMessage(e)}`, { where: '--settings', fix: `name settings that ${r.name}'s config accepts (its docs list them)`, kind: 'bad_input' });
      }
      if (!Array.isArray(chances) || chances.length !== steps.length) throw new Error(`the replay of ${r.name} answered ${Array.isArray(chances) ? chances.length : 'no'} chances for ${steps.length} decisions`);
      const out = new Array<(typeof chances)[number]>(choices.length).fill(undefined);
      usable.forEach(({ i }, k) => (out[i] = chances[k]));
      return out;
    },
  };
}

/** stored features write Infinity (no signal yet) as null: back to what the model saw */
function withInfinity(f: AccountFeatures): AccountFeatures {
  return f.daysSinceLastSignal === null ? { ...f, daysSinceLastSignal: Number.POSITIVE_INFINITY } : f;
}

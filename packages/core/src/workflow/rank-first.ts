// Rank first, then decide: with a per-run cap (maxExecutionsPerRun), a run executes only the cap
// best-ranked ready decisions, and on a busy day nearly every other triggered account ends
// 'deferred' (over the cap) after every step was run and logged for it. The ranking (value.ts)
// reads only the intent and channel-time outputs, and channel-time reads the content step's
// topic: so the engine runs those steps for every triggered account, sorts the accounts by their
// score, and runs the other steps (message, brand check, gate, execute) in that order only until
// the cap is filled. The decisions that execute are the same as when every account is decided in
// full (same scores, same order, same tie-break); the others end deferred with one row each.
//
// Why this is exact: the local and remote models answer from the account's features and their own
// learned state, which does not change within a run (learning happens before the decide step), so
// an account's score does not depend on the order the accounts are decided in; and the ready
// decisions are ranked by (score desc, account id asc) either way. What differs is only what is
// known of an account ranked below the cap: its message and brand check were never run, so one
// that the brand check would have dropped ends deferred (and is decided again later) instead.
import { isCapabilityStep, isExecuteStep, type ExecuteStep, type WorkflowConfig, type WorkflowStep } from './schema.js';

/** the tasks the ranking reads (intent, channel-time) and the ones their inputs read (content) */
const RANKING_TASKS = new Set(['intent', 'content', 'channel-time']);
/** tasks whose inputs the engine builds from the ranking tasks' outputs and never the other way */
const OTHER_KNOWN_TASKS = new Set(['message', 'brand']);

export interface RankFirstPlan {
  /** the steps run for every triggered account, in workflow order */
  rank: WorkflowStep[];
  /** the steps run, in workflow order, only for the accounts ranked within the cap */
  rest: WorkflowStep[];
  execute: ExecuteStep;
}

/**
 * The split of the workflow's steps, or undefined when the run must decide every account in full:
 * no cap, a task whose input the engine does not know (a custom step reads every earlier output),
 * a task twice, a ranking step that a later step sends back for a retry or that retries itself, or
 * a ranking step that can stop the decision after a step that is not a ranking step (its status
 * would depend on the order).
 */
export function rankFirstPlan(workflow: WorkflowConfig): RankFirstPlan | undefined {
  if (workflow.maxExecutionsPerRun === undefined) return undefined;
  const steps = workflow.steps;
  const executes = steps.filter(isExecuteStep);
  if (executes.length !== 1 || steps[steps.length - 1] !== executes[0]) return undefined;
  const capability = steps.filter(isCapabilityStep);
  const tasks = capability.map((s) => s.task);
  if (new Set(tasks).size !== tasks.length) return undefined;
  if (tasks.some((t) => !RANKING_TASKS.has(t) && !OTHER_KNOWN_TASKS.has(t))) return undefined;
  const ranking = new Set(capability.filter((s) => RANKING_TASKS.has(s.task)).map((s) => s.name));
  let otherBefore = false;
  for (const step of steps) {
    // a gate ends no decision; an execute step is last
    if (!isCapabilityStep(step)) continue;
    if (ranking.has(step.name)) {
      if (step.retryStep) return undefined;
      if (step.stopWhen && otherBefore) return undefined;
    } else {
      if (step.retryStep && ranking.has(step.retryStep)) return undefined;
      otherBefore = true;
    }
  }
  return {
    rank: steps.filter((s) => isCapabilityStep(s) && ranking.has(s.name)),
    rest: steps.filter((s) => !(isCapabilityStep(s) && ranking.has(s.name))),
    execute: executes[0]!,
  };
}

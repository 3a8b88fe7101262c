// The error a call gets when a budget has no room for it: which budget, how much of it is spent
// and reserved, and what to do (an overrun says that a call cost more than it reserved).
import { RevloopError } from '../errors.js';

interface Rule {
  name: string;
  limitUsd: number;
  period: string;
}

const usd = (micros: number) => `$${(micros / 1e6).toFixed(6)}`;

export function budgetRefusal(rule: Rule, micros: number, model: string, seen: { spentMicros: number; reservedMicros: number }): RevloopError {
  const limit = rule.limitUsd * 1e6;
  const overrun = seen.spentMicros > limit;
  const message = overrun
    ? `budget "${rule.name}" ($${rule.limitUsd} per ${rule.period}) is overrun: ${usd(seen.spentMicros)} spent (calls cost more than they reserved); no call of ${model} runs until the spend is within the limit again`
    : `budget "${rule.name}" ($${rule.limitUsd} per ${rule.period}) has no room for a ${usd(micros)} call of ${model} (${usd(seen.spentMicros)} spent, ${usd(seen.reservedMicros)} reserved by calls under way)`;
  return new RevloopError('BUDGET_EXHAUSTED', message, {
    where: `budgets.${rule.name}`,
    fix: overrun
      ? 'wait for the next period or raise the budget; and set the model capability\'s maxCostMicros to its true worst case, so that a call reserves what it can cost'
      : 'raise the budget, or let the router use a cheaper model (lower the step\'s minQuality)',
  });
}

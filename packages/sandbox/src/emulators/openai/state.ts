// Counters the tests and benchmarks read: calls, tokens and cost per model, plus HTTP-level tallies.
import type { SimModel } from './models.js';
import { costUsd } from './models.js';

export interface ModelUsage {
  calls: number;
  promptTokens: number;
  completionTokens: number; // reasoning tokens included (they are billed as completion tokens)
  reasoningTokens: number;
  costUsd: number;
  classifications: number; // answers with ground truth (oracle knew the item)
  correct: number; // classifications that matched the oracle
}

export class OpenAIState {
  readonly usage = new Map<string, ModelUsage>();
  httpRequests = 0;
  completions = 0; // numbers chatcmpl ids
  rateLimited = 0;
  /** chat requests refused 429 insufficient_quota */
  quotaRefused = 0;
  /** while true every chat request is refused 429 insufficient_quota (billing, not rate) */
  quotaExhausted = false;
  private forced429 = 0;
  readonly models: Map<string, SimModel>;

  constructor(models: readonly SimModel[]) {
    this.models = new Map(models.map((m) => [m.id, m]));
  }

  record(model: SimModel, prompt: number, completion: number, classified?: { correct: boolean | undefined }, reasoning = 0): void {
    let u = this.usage.get(model.id);
    if (!u) this.usage.set(model.id, (u = { calls: 0, promptTokens: 0, completionTokens: 0, reasoningTokens: 0, costUsd: 0, classifications: 0, correct: 0 }));
    u.calls++;
    u.promptTokens += prompt;
    u.completionTokens += completion;
    u.reasoningTokens += reasoning;
    u.costUsd += costUsd(model, prompt, completion);
    if (classified && classified.correct !== undefined) {
      u.classifications++;
      if (classified.correct) u.correct++;
    }
  }

  usageOf(modelId: string): ModelUsage {
    return this.usage.get(modelId) ?? { calls: 0, promptTokens: 0, completionTokens: 0, reasoningTokens: 0, costUsd: 0, classifications: 0, correct: 0 };
  }

  totalCostUsd(): number {
    let sum = 0;
    for (const u of this.usage.values()) sum += u.costUsd;
    return sum;
  }

  /** The next `n` chat requests are answered 429 (a deterministic rate-limit storm for tests). */
  rateLimitNext(n: number): void {
    this.forced429 += n;
  }

  takeForced429(): boolean {
    if (this.forced429 <= 0) return false;
    this.forced429--;
    return true;
  }
}

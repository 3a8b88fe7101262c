// Token estimates and prices. micros = tokens × USD-per-1M-tokens (1 USD = 1e6 micros).
import type { ModelSpec } from './config.js';

/** chat prompt tokens, estimated: ceil(chars / 4) per message + 4 per message + 3 */
export function estimatePromptTokens(messages: readonly { content: string }[]): number {
  let n = 3;
  for (const m of messages) n += Math.ceil(m.content.length / 4) + 4;
  return n;
}

export const estimateTextTokens = (text: string) => Math.ceil(text.length / 4);

/** cost in micros, rounded up (the ledger keeps whole micros; never under-report) */
export function costMicros(model: Pick<ModelSpec, 'inputPricePerMTok' | 'outputPricePerMTok'>, tokensIn: number, tokensOut: number): number {
  return Math.ceil(tokensIn * model.inputPricePerMTok + tokensOut * model.outputPricePerMTok - 1e-9);
}

// A deterministic token estimate (~4 characters per token, like English text on OpenAI tokenizers),
// plus OpenAI's per-message framing overhead.
export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(text.length / 4);
}

export function promptTokens(messages: { content: string }[]): number {
  return messages.reduce((sum, m) => sum + 4 + estimateTokens(m.content), 3);
}

/** Cuts text to at most `maxTokens` tokens under the same estimate. */
export function truncateToTokens(text: string, maxTokens: number): string {
  return text.slice(0, maxTokens * 4);
}

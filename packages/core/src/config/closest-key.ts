// "Did you mean …?" for a misspelt config key: the known key nearest by edit distance.

/** Levenshtein distance (insertions, deletions, substitutions; each costs 1). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The candidate closest to `word`, when it is close enough to be a likely typo: at most a third of
 * the longer word's letters differ (at least 1, at most 3), case ignored. None when no key is that close.
 */
export function closestKey(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  let best: { key: string; distance: number } | undefined;
  for (const key of candidates) {
    if (key === word) continue;
    const distance = editDistance(lower, key.toLowerCase());
    const allowed = Math.min(3, Math.max(1, Math.floor(Math.max(word.length, key.length) / 3)));
    if (distance > allowed) continue;
    if (!best || distance < best.distance) best = { key, distance };
  }
  return best?.key;
}

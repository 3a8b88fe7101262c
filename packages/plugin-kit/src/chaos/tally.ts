// Counting a chaos run from the vendor's own state: each intended key should have exactly one
// vendor record (or effect); every key a result reported ok should have one.
import type { ChaosActionCase, ChaosCall, ChaosTally } from './types.js';

/** the calls of a run: items in batches, each call's input and keys */
export function planCalls<Item>(testCase: ChaosActionCase<Item>, items: Item[]): ChaosCall[] {
  const size = testCase.batchSize ?? 4;
  const calls: ChaosCall[] = [];
  for (let from = 0; from < items.length; from += size) {
    const batch = items.slice(from, from + size);
    calls.push({ input: testCase.input(batch), keys: [...new Set(batch.flatMap((item) => testCase.keysOf(item)))], from, to: from + batch.length });
  }
  return calls;
}

export function tally<Item>(testCase: ChaosActionCase<Item>, items: Item[], calls: ChaosCall[], results: unknown[], effects: Map<string, number>): ChaosTally {
  const intended = new Set(calls.flatMap((c) => c.keys));
  const reportedOk = new Set<string>();
  for (const [i, call] of calls.entries()) {
    if (results[i] === undefined) continue;
    const keys = testCase.okKeys ? testCase.okKeys(results[i], items.slice(call.from, call.to)) : call.keys;
    for (const k of keys) reportedOk.add(k);
  }
  let duplicated = 0;
  let missing = 0;
  const examples: string[] = [];
  for (const k of intended) {
    const n = effects.get(k) ?? 0;
    if (n === 0) missing++;
    else duplicated += n - 1;
    if (n !== 1 && examples.length < 6) examples.push(n ? `${k} ×${n}` : `${k} missing`);
  }
  const unbacked = [...reportedOk].filter((k) => !(effects.get(k) ?? 0));
  for (const k of unbacked.slice(0, 3)) examples.push(`${k} ok-unbacked`);
  return { intended: intended.size, duplicated, missing, okUnbacked: unbacked.length, reportedOk: reportedOk.size, examples };
}

/**
 * okKeys for the common batch result `{ results: [{ key, ok }] }` (ActionRecordResult): the keys
 * of the records reported ok, as the connector names them.
 */
export function okRecordKeys(result: unknown): string[] {
  const results = (result as { results?: { key: string; ok: boolean }[] } | null)?.results;
  if (!Array.isArray(results)) throw new Error(`okRecordKeys: the result has no results array: ${JSON.stringify(result).slice(0, 200)}`);
  return results.filter((r) => r.ok).map((r) => r.key);
}

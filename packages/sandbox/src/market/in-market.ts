// Intent sparsity: only a share of accounts is in market (`intent.inMarketShare`). Each account's
// membership is a fixed seeded draw u (in market while u < share), so a drift event that changes
// the share moves exactly the accounts between the old and the new share. Out of market, an
// account's intent and baseline are × outOfMarketFactor and it surges that much less often.
import type { AccountState } from './account-state.js';
import { deriveSeed, Rng, Stream } from './random.js';

/** one uniform draw per account, from a stream of its own (no other draw of the market moves) */
export function inMarketDraws(seed: number, accounts: number): Float64Array {
  const rng = new Rng(deriveSeed(seed, Stream.inMarket));
  const out = new Float64Array(accounts);
  for (let i = 0; i < accounts; i++) out[i] = rng.next();
  return out;
}

/** puts each account in or out of market for `share`; `factor` scales an out-of-market account's intent */
export function setInMarketShare(states: readonly AccountState[], draws: Float64Array, share: number, factor: number): void {
  for (const s of states) {
    const inMarket = draws[s.index] < share;
    if (inMarket === s.inMarket) continue;
    s.inMarket = inMarket;
    const k = inMarket ? 1 / factor : factor;
    s.baseIntent = Math.min(1, s.baseIntent * k);
    s.intent = Math.min(1, s.intent * k);
  }
}

// Deterministic market id ↔ Google Ads numeric id mapping. Ids are derived from a hash of the
// market id (not from arrival order), so the same market always yields the same Google Ads ids.

/** 52-bit FNV-1a style hash: fits in a JS number and in GAQL's int64 ids. */
function hash52(text: string): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
  }
  return (h1 % 0x100000) * 0x100000000 + h2;
}

export class IdMap {
  private readonly toAds = new Map<string, string>();
  private readonly toMarket = new Map<string, string>();

  /** @param floor keeps ids of one kind out of each other's ranges (and away from small numbers) */
  constructor(private readonly floor: number) {}

  adsId(marketId: string): string {
    const known = this.toAds.get(marketId);
    if (known) return known;
    let n = this.floor + (hash52(marketId) % 1_000_000_000_000);
    while (this.toMarket.has(String(n))) n++; // a collision: probe (practically never happens)
    const id = String(n);
    this.toAds.set(marketId, id);
    this.toMarket.set(id, marketId);
    return id;
  }

  marketId(adsId: string): string | undefined {
    return this.toMarket.get(adsId);
  }
}

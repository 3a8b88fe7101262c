// Deterministic market id ↔ LinkedIn numeric id mapping. LinkedIn ids are plain longs, referenced
// through URNs (urn:li:sponsoredCampaign:N). The trailing digits of the market id are kept (plus a
// per-type base) so that ids stay stable whatever order events arrive in; a collision or a market id
// without digits falls back to a hash.

export const CAMPAIGN_URN = 'urn:li:sponsoredCampaign:';
export const ACCOUNT_URN = 'urn:li:sponsoredAccount:';

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export class IdMap {
  private readonly toVendor = new Map<string, number>();
  private readonly toMarket = new Map<number, string>();

  constructor(private readonly base: number) {}

  vendorIdOf(marketId: string): number {
    const known = this.toVendor.get(marketId);
    if (known !== undefined) return known;
    const digits = /(\d+)$/.exec(marketId)?.[1];
    let id = digits ? this.base + Number(digits) : this.base + 1_000_000 + (fnv1a(marketId) % 1_000_000_000);
    while (this.toMarket.has(id)) id = this.base + 1_000_000 + (fnv1a(`${marketId}#${id}`) % 1_000_000_000);
    this.toVendor.set(marketId, id);
    this.toMarket.set(id, marketId);
    return id;
  }

  marketIdOf(vendorId: number): string | undefined {
    return this.toMarket.get(vendorId);
  }
}

// Everything the LinkedIn emulator knows: ad account, campaigns and their (late-arriving) daily
// metrics fed by the market, DMP segments and their members, received conversion events, tokens.
import { hashEmail } from '../hash-email.js';
import type { MarketEvent, MarketSink, SimAdDay, SimCampaign, SimTreatment } from '../../market/types.js';
import { seededRandom } from '../faults.js';
import { IdMap } from './ids.js';

export interface LinkedInAdAccount {
  id: number;
  name: string;
  currency: string;
}

export interface LinkedInCampaignRecord {
  id: number;
  marketId: string;
  campaign: SimCampaign;
}

export interface LinkedInSegment {
  id: number;
  name: string;
  account: string;
  type: string;
  sourcePlatform: string;
  createdAt: number;
  lastModifiedAt: number;
  members: Set<string>; // SHA256_EMAIL hashes (lower-case hex)
}

export interface ReceivedConversion {
  conversion: string;
  conversionHappenedAt: number;
  conversionValue?: { currencyCode: string; amount: string };
  eventId?: string;
  userIds: { idType: string; idValue: string }[];
  userInfo?: Record<string, unknown>;
  receivedAt: number;
}

interface TokenRecord {
  issuedAt: number;
  revoked: boolean;
}

export type TokenCheck = 'ok' | 'invalid' | 'revoked' | 'expired';

/** sha256 of the trimmed, lower-cased email: what LinkedIn matches SHA256_EMAIL ids against. */

export interface LinkedInStateOptions {
  now: () => number;
  seed: number;
  adAccount: LinkedInAdAccount;
  onTreatment?: (t: SimTreatment) => void;
}

export class LinkedInState implements MarketSink {
  readonly adAccount: LinkedInAdAccount;
  readonly campaigns = new Map<number, LinkedInCampaignRecord>();
  /** campaign id → date (YYYY-MM-DD) → the latest metrics seen for that day */
  readonly adDays = new Map<number, Map<string, SimAdDay>>();
  readonly segments = new Map<number, LinkedInSegment>();
  private readonly conversions: ReceivedConversion[] = [];
  private readonly conversionKeys = new Set<string>();
  private readonly contactsByHash = new Map<string, { contactId: string; accountId: string }>();
  private readonly hashByContact = new Map<string, string>();
  private readonly campaignIds = new IdMap(600_000_000);
  private readonly accessTokens = new Map<string, TokenRecord>();
  private readonly refreshTokens = new Map<string, TokenRecord>();
  private readonly random: () => number;
  private nextSegmentId = 1;
  readonly now: () => number;
  private readonly onTreatment?: (t: SimTreatment) => void;

  constructor(options: LinkedInStateOptions) {
    this.now = options.now;
    this.adAccount = options.adAccount;
    this.onTreatment = options.onTreatment;
    this.random = seededRandom(options.seed ^ 0x11ced);
  }

  // ---- market feed --------------------------------------------------------------------------
  apply(event: MarketEvent): void {
    switch (event.kind) {
      case 'campaign': {
        if (event.campaign.platform !== 'linkedin') return;
        const id = this.campaignIds.vendorIdOf(event.campaign.id);
        this.campaigns.set(id, { id, marketId: event.campaign.id, campaign: event.campaign });
        return;
      }
      case 'ad_day': {
        if (event.day.platform !== 'linkedin') return;
        const id = this.campaignIds.vendorIdOf(event.day.campaignId);
        let days = this.adDays.get(id);
        if (!days) this.adDays.set(id, (days = new Map()));
        days.set(event.day.date, event.day); // late metrics replace the earlier read
        return;
      }
      case 'contact': {
        const hash = hashEmail(event.contact.email);
        const old = this.hashByContact.get(event.contact.id);
        if (old && old !== hash) this.contactsByHash.delete(old);
        this.hashByContact.set(event.contact.id, hash);
        this.contactsByHash.set(hash, { contactId: event.contact.id, accountId: event.contact.accountId });
        return;
      }
      case 'contact_merged': {
        const loserHash = this.hashByContact.get(event.loserId);
        const winner = [...this.contactsByHash.values()].find((c) => c.contactId === event.winnerId);
        if (loserHash && winner) this.contactsByHash.set(loserHash, winner);
        return;
      }
      case 'deleted': {
        if (event.entity !== 'contact') return;
        const hash = this.hashByContact.get(event.id);
        if (hash) this.contactsByHash.delete(hash);
        this.hashByContact.delete(event.id);
        return;
      }
      default:
        return;
    }
  }

  campaignIdOf(marketId: string): number {
    return this.campaignIds.vendorIdOf(marketId);
  }

  marketIdOf(vendorId: number | string): string | undefined {
    return this.campaignIds.marketIdOf(Number(vendorId));
  }

  // ---- audiences ----------------------------------------------------------------------------
  createSegment(input: { name: string; account: string; type: string; sourcePlatform: string }): LinkedInSegment {
    const at = this.now();
    const segment: LinkedInSegment = { id: 700_000 + this.nextSegmentId++, ...input, createdAt: at, lastModifiedAt: at, members: new Set() };
    this.segments.set(segment.id, segment);
    return segment;
  }

  /** ADD of a hash that belongs to a known contact is a LinkedIn treatment for that contact. */
  addMember(segment: LinkedInSegment, hash: string): void {
    const fresh = !segment.members.has(hash);
    segment.members.add(hash);
    segment.lastModifiedAt = this.now();
    const contact = this.contactsByHash.get(hash);
    if (fresh && contact) this.onTreatment?.({ accountId: contact.accountId, contactId: contact.contactId, channel: 'linkedin', at: this.now() });
  }

  removeMember(segment: LinkedInSegment, hash: string): void {
    segment.members.delete(hash);
    segment.lastModifiedAt = this.now();
  }

  /** Members of a segment as SHA256_EMAIL hashes. */
  segmentMembers(segmentId: number): string[] {
    return [...(this.segments.get(segmentId)?.members ?? [])];
  }

  /** Members of a segment that match known market contacts. */
  segmentContacts(segmentId: number): string[] {
    return this.segmentMembers(segmentId).flatMap((h) => this.contactsByHash.get(h)?.contactId ?? []);
  }

  // ---- conversions --------------------------------------------------------------------------
  /** Stores a conversion; returns false when its eventId was already received for that rule (deduped). */
  recordConversion(c: ReceivedConversion): boolean {
    if (c.eventId) {
      const key = `${c.conversion}|${c.eventId}`;
      if (this.conversionKeys.has(key)) return false;
      this.conversionKeys.add(key);
    }
    this.conversions.push(c);
    return true;
  }

  receivedConversions(): readonly ReceivedConversion[] {
    return this.conversions;
  }

  // ---- OAuth --------------------------------------------------------------------------------
  private token(prefix: string): string {
    let s = prefix;
    for (let i = 0; i < 40; i++) s += 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[Math.floor(this.random() * 64)];
    return s;
  }

  issueAccessToken(value?: string): string {
    const token = value ?? this.token('AQV');
    this.accessTokens.set(token, { issuedAt: this.now(), revoked: false });
    return token;
  }

  issueRefreshToken(value?: string): string {
    const token = value ?? this.token('AQX');
    this.refreshTokens.set(token, { issuedAt: this.now(), revoked: false });
    return token;
  }

  revokeAccessToken(token: string): void {
    const t = this.accessTokens.get(token);
    if (t) t.revoked = true;
  }

  revokeRefreshToken(token: string): void {
    const t = this.refreshTokens.get(token);
    if (t) t.revoked = true;
  }

  checkAccessToken(token: string, ttlMs: number): TokenCheck {
    const t = this.accessTokens.get(token);
    if (!t) return 'invalid';
    if (t.revoked) return 'revoked';
    if (ttlMs > 0 && this.now() >= t.issuedAt + ttlMs) return 'expired';
    return 'ok';
  }

  /** The refresh token's issue time, or undefined when unknown/revoked/expired. */
  refreshTokenIssuedAt(token: string, ttlMs: number): number | undefined {
    const t = this.refreshTokens.get(token);
    if (!t || t.revoked || this.now() >= t.issuedAt + ttlMs) return undefined;
    return t.issuedAt;
  }
}

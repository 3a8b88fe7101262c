// "Direct" ingest for the in-process closed loop: market events go straight into the unified
// model (as if every connector had synced them), so that a benchmark measures revloop's
// decisions and learning without vendor I/O. The connector path is tested in each connector.
import type { MarketEvent, MarketSink } from '@revloop/sandbox';
import type { Store, UnifiedRecord } from '@revloop/core';

export const MARKET_SYSTEM = 'market';

const stageClosed = (stage: string) => stage === 'closed_won' || stage === 'closed_lost';

export class MarketIngest implements MarketSink {
  private accounts: UnifiedRecord[] = [];
  private contacts: UnifiedRecord[] = [];
  private signals: UnifiedRecord[] = [];
  private opportunities: UnifiedRecord[] = [];
  private merges: { loserSystemId: string; winnerSystemId: string }[] = [];
  private deletes: Record<'account' | 'contact' | 'opportunity', string[]> = { account: [], contact: [], opportunity: [] };

  apply(event: MarketEvent): void {
    switch (event.kind) {
      case 'account': {
        const a = event.account;
        this.accounts.push({ systemId: a.id, fields: { name: a.name, domain: a.domain, industry: a.industry, size: a.size, region: a.region, employees: a.employees }, createdAt: a.createdAt, updatedAt: a.updatedAt });
        break;
      }
      case 'contact': {
        const c = event.contact;
        this.contacts.push({ systemId: c.id, fields: { email: c.email, first_name: c.firstName, last_name: c.lastName, title: c.title, persona: c.persona, lifecycle_stage: c.lifecycleStage }, links: { account: c.accountId }, createdAt: c.createdAt, updatedAt: c.updatedAt });
        break;
      }
      case 'signal': {
        const s = event.signal;
        this.signals.push({ systemId: s.id, fields: { type: s.type, topic: s.topic ?? null, channel: s.platform ?? null, occurred_at: s.occurredAt }, links: { account: s.accountId, contact: s.contactId ?? null }, updatedAt: s.occurredAt });
        break;
      }
      case 'opportunity': {
        const o = event.opportunity;
        this.opportunities.push({
          systemId: o.id,
          fields: { name: o.name, stage: o.stage, amount_micros: Math.round(o.amount * 1e6), is_closed: stageClosed(o.stage) ? 1 : 0, is_won: o.isWon ? 1 : 0, close_date: o.closeDate },
          links: { account: o.accountId, contact: o.contactId ?? null },
          createdAt: o.createdAt,
          updatedAt: o.updatedAt,
        });
        break;
      }
      case 'contact_merged':
        this.merges.push({ loserSystemId: event.loserId, winnerSystemId: event.winnerId });
        break;
      case 'deleted':
        this.deletes[event.entity].push(event.id);
        break;
      default:
        break; // campaigns, ad days and clicks are not needed for decisions
    }
  }

  /** rows waiting for the next flush, per entity type */
  pending(): Record<string, number> {
    return { account: this.accounts.length, contact: this.contacts.length, signal: this.signals.length, opportunity: this.opportunities.length };
  }

  /** write what the day produced, one atomic batch per entity type */
  async flush(store: Store, at: number): Promise<void> {
    const write = async (entityType: 'account' | 'contact' | 'signal' | 'opportunity', records: UnifiedRecord[], extra: { deletes?: string[]; merges?: { loserSystemId: string; winnerSystemId: string }[] } = {}) => {
      for (let i = 0; i < Math.max(records.length, 1); i += 5000) {
        const slice = records.slice(i, i + 5000);
        const first = i === 0;
        if (!slice.length && !(first && (extra.deletes?.length || extra.merges?.length))) continue;
        await store.applyBatch({ system: MARKET_SYSTEM, entityType, records: slice, deletes: first ? extra.deletes : undefined, merges: first ? extra.merges : undefined, syncedAt: at });
      }
    };
    await write('account', this.accounts, { deletes: this.deletes.account });
    await write('contact', this.contacts, { deletes: this.deletes.contact, merges: this.merges });
    await write('signal', this.signals);
    await write('opportunity', this.opportunities, { deletes: this.deletes.opportunity });
    this.accounts = [];
    this.contacts = [];
    this.signals = [];
    this.opportunities = [];
    this.merges = [];
    this.deletes = { account: [], contact: [], opportunity: [] };
  }
}

// The emulator's world: what the market has pushed (campaigns, daily metrics, clicks, contacts)
// plus what clients have written (offline conversions, Customer Match lists and jobs).
import { hashEmail } from '../hash-email.js';
import type { MarketEvent, MarketSink, SimAdDay, SimClick, SimTreatment } from '../../market/types.js';
import { IdMap } from './ids.js';

export interface CampaignRecord {
  id: string; // Google Ads numeric id
  marketId: string;
  name: string;
  status: 'ENABLED' | 'PAUSED';
  adGroupId: string; // the market has no ad groups: each campaign gets one
  adGroupName: string;
}

export interface ConversionActionRecord {
  id: string;
  name: string;
}

export interface StoredConversion {
  gclid: string;
  conversionAction: string; // resource name
  conversionDateTime: string;
  conversionValue?: number;
  currencyCode?: string;
  orderId?: string;
  /** the market entities behind the click */
  campaignId: string;
  accountId: string;
  contactId?: string;
  uploadedAt: number;
}

export interface UserListRecord {
  id: string;
  name: string;
  description?: string;
  members: Set<string>; // hashed emails
}

export interface UserDataOp {
  action: 'create' | 'remove';
  hashedEmail: string;
}

export interface OfflineJobRecord {
  id: string;
  userListId: string;
  /** PENDING until run; RUNNING (asynchronously) until jobProcessing says it is done; then SUCCESS */
  status: 'PENDING' | 'RUNNING' | 'SUCCESS';
  operations: UserDataOp[];
  /** emulator time RunOfflineUserDataJob was called */
  runAt?: number;
  /** reads of this job (GAQL) while RUNNING */
  polls?: number;
  /** the client's own id of the job (OfflineUserDataJob.external_id, int64 as a decimal string) */
  externalId?: string;
}

export interface GoogleAdsStateOptions {
  /** 10-digit customer id of the emulated account (no dashes) */
  customerId?: string;
  now: () => number;
  onTreatment?: (t: SimTreatment) => void;
  conversionActions?: ConversionActionRecord[];
  jobProcessing?: JobProcessing;
}

/**
 * How long a run offline user data job stays RUNNING: until it has been read `polls` times or
 * `ms` of emulator time have passed, whichever comes first (Google: minutes to hours).
 */
export interface JobProcessing {
  polls: number;
  ms: number;
}
export const defaultJobProcessing: JobProcessing = { polls: 2, ms: 10 * 60_000 };

export const defaultConversionActions: ConversionActionRecord[] = [{ id: '700000001', name: 'Offline: closed won' }];

/** SHA-256 hex of a normalised email, as Customer Match expects it. */

export class GoogleAdsState implements MarketSink {
  readonly customerId: string;
  readonly now: () => number;
  private readonly onTreatment?: (t: SimTreatment) => void;

  readonly campaignIds = new IdMap(10_000_000_000);
  readonly adGroupIds = new IdMap(20_000_000_000);
  private readonly campaignsByAdsId = new Map<string, CampaignRecord>();
  /** campaign ads id → date → metrics; a re-emitted day replaces the old one (late conversions) */
  private readonly adDays = new Map<string, Map<string, SimAdDay>>();
  private readonly clicks = new Map<string, SimClick>();
  private readonly contactByHash = new Map<string, { contactId: string; accountId: string }>();
  private readonly hashByContact = new Map<string, string>();

  readonly conversionActions = new Map<string, ConversionActionRecord>();
  private readonly conversions = new Map<string, StoredConversion>();
  readonly userLists = new Map<string, UserListRecord>();
  readonly jobs = new Map<string, OfflineJobRecord>();
  private nextUserListId = 800_000_001;
  private nextJobId = 900_000_001;
  readonly jobProcessing: JobProcessing;

  constructor(options: GoogleAdsStateOptions) {
    this.customerId = options.customerId ?? '1234567890';
    this.now = options.now;
    this.onTreatment = options.onTreatment;
    this.jobProcessing = options.jobProcessing ?? defaultJobProcessing;
    for (const a of options.conversionActions ?? defaultConversionActions) this.conversionActions.set(a.id, a);
  }

  apply(event: MarketEvent): void {
    switch (event.kind) {
      case 'campaign': {
        const c = event.campaign;
        if (c.platform !== 'google') return;
        const id = this.campaignIds.adsId(c.id);
        this.campaignsByAdsId.set(id, {
          id,
          marketId: c.id,
          name: c.name,
          status: c.status === 'ACTIVE' ? 'ENABLED' : 'PAUSED',
          adGroupId: this.adGroupIds.adsId(`${c.id}/ad_group`),
          adGroupName: `${c.name} - ad group 1`,
        });
        return;
      }
      case 'ad_day': {
        const d = event.day;
        if (d.platform !== 'google') return;
        const id = this.campaignIds.adsId(d.campaignId);
        let days = this.adDays.get(id);
        if (!days) this.adDays.set(id, (days = new Map()));
        days.set(d.date, d);
        return;
      }
      case 'click':
        this.clicks.set(event.click.clickId, event.click);
        return;
      case 'contact': {
        const c = event.contact;
        const hash = hashEmail(c.email);
        const old = this.hashByContact.get(c.id);
        if (old && old !== hash) this.contactByHash.delete(old);
        this.hashByContact.set(c.id, hash);
        this.contactByHash.set(hash, { contactId: c.id, accountId: c.accountId });
        return;
      }
      case 'contact_merged': {
        // the loser's email now identifies the winner
        const hash = this.hashByContact.get(event.loserId);
        const winner = this.hashByContact.get(event.winnerId);
        const winnerRef = winner ? this.contactByHash.get(winner) : undefined;
        if (hash && winnerRef) this.contactByHash.set(hash, winnerRef);
        this.hashByContact.delete(event.loserId);
        return;
      }
      case 'deleted':
        if (event.entity === 'contact') {
          const hash = this.hashByContact.get(event.id);
          if (hash) this.contactByHash.delete(hash);
          this.hashByContact.delete(event.id);
        }
        return;
      default:
        return; // accounts, opportunities and signals are not Google Ads data
    }
  }

  // ---- reads for the query engine ----
  campaigns(): CampaignRecord[] {
    return [...this.campaignsByAdsId.values()];
  }

  campaign(adsId: string): CampaignRecord | undefined {
    return this.campaignsByAdsId.get(adsId);
  }

  daysOf(campaignAdsId: string): Iterable<SimAdDay> {
    return this.adDays.get(campaignAdsId)?.values() ?? [];
  }

  click(gclid: string): SimClick | undefined {
    return this.clicks.get(gclid);
  }

  allClicks(): Iterable<SimClick> {
    return this.clicks.values();
  }

  // ---- offline conversions ----
  static conversionKey(gclid: string, conversionAction: string, conversionDateTime: string): string {
    return `${gclid}|${conversionAction}|${conversionDateTime}`;
  }

  hasConversion(key: string): boolean {
    return this.conversions.has(key);
  }

  storeConversion(c: StoredConversion): void {
    this.conversions.set(GoogleAdsState.conversionKey(c.gclid, c.conversionAction, c.conversionDateTime), c);
  }

  /** Offline conversions accepted so far, in upload order. */
  uploadedConversions(): StoredConversion[] {
    return [...this.conversions.values()];
  }

  // ---- Customer Match ----
  createUserList(name: string, description?: string): UserListRecord {
    const list: UserListRecord = { id: String(this.nextUserListId++), name, description, members: new Set() };
    this.userLists.set(list.id, list);
    return list;
  }

  createJob(userListId: string, externalId?: string): OfflineJobRecord {
    const job: OfflineJobRecord = { id: String(this.nextJobId++), userListId, status: 'PENDING', operations: [], ...(externalId ? { externalId } : {}) };
    this.jobs.set(job.id, job);
    return job;
  }

  /** RunOfflineUserDataJob: the job starts RUNNING; its operations apply when it completes. */
  runJob(job: OfflineJobRecord): void {
    job.status = 'RUNNING';
    job.runAt = this.now();
    job.polls = 0;
  }

  /**
   * A read of the jobs (a GAQL query on offline_user_data_job): each RUNNING job counts one poll
   * and completes once it has been polled enough or enough emulator time has passed.
   */
  pollJobs(): void {
    for (const job of this.jobs.values()) {
      if (job.status !== 'RUNNING') continue;
      job.polls = (job.polls ?? 0) + 1;
      if (job.polls >= this.jobProcessing.polls || this.now() - (job.runAt ?? 0) >= this.jobProcessing.ms) this.completeJob(job);
    }
  }

  /** Applies a job's operations to its list; each add of a known contact is a Google treatment. */
  completeJob(job: OfflineJobRecord): void {
    const list = this.userLists.get(job.userListId);
    if (list) this.applyMembers(list, job.operations);
    job.status = 'SUCCESS';
  }

  /** Adds/removes hashed emails; each add of a known contact is a Google treatment. */
  applyMembers(list: UserListRecord, ops: readonly UserDataOp[]): void {
    for (const op of ops) {
      if (op.action === 'remove') {
        list.members.delete(op.hashedEmail);
        continue;
      }
      list.members.add(op.hashedEmail);
      const who = this.contactByHash.get(op.hashedEmail);
      if (who) this.onTreatment?.({ accountId: who.accountId, contactId: who.contactId, channel: 'google', at: this.now() });
    }
  }

  /** Hashed emails currently in a list (by Google Ads user list id). */
  members(userListId: string): string[] {
    return [...(this.userLists.get(userListId)?.members ?? [])];
  }

  /** Market contact ids currently in a list (members whose hash matches a known contact). */
  memberContacts(userListId: string): string[] {
    return this.members(userListId)
      .map((h) => this.contactByHash.get(h)?.contactId)
      .filter((id): id is string => id !== undefined);
  }
}

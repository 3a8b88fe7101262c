// The simulated market's public entities: what a vendor could know. Hidden state (true intent,
// response parameters) lives in the simulator and its ground-truth API only.
// Times are epoch milliseconds on the simulated clock.

export type Persona = 'economic_buyer' | 'champion' | 'technical_evaluator' | 'end_user';
export type CompanySize = 'smb' | 'mid' | 'enterprise';
export type AdPlatform = 'linkedin' | 'google';

export interface SimAccount {
  id: string; // market id, e.g. "acc_000042"; emulators map it to their own id format
  name: string;
  domain: string;
  industry: string;
  size: CompanySize;
  region: string;
  employees: number;
  createdAt: number;
  updatedAt: number;
}

export interface SimContact {
  id: string; // "con_000123"
  accountId: string;
  email: string;
  firstName: string;
  lastName: string;
  persona: Persona;
  title: string;
  lifecycleStage: 'subscriber' | 'lead' | 'mql' | 'sql' | 'opportunity' | 'customer';
  createdAt: number;
  updatedAt: number;
}

export type SignalType =
  | 'page_view'
  | 'pricing_visit'
  | 'demo_visit'
  | 'content_download'
  | 'email_open'
  | 'email_click'
  | 'ad_impression'
  | 'ad_click'
  | 'form_fill';

export interface SimSignal {
  id: string;
  accountId: string;
  contactId?: string;
  type: SignalType;
  topic?: string;
  platform?: AdPlatform;
  campaignId?: string;
  clickId?: string; // gclid for Google clicks
  occurredAt: number;
}

export type OpportunityStage =
  | 'qualification'
  | 'discovery'
  | 'proposal'
  | 'negotiation'
  | 'closed_won'
  | 'closed_lost';

export interface SimOpportunity {
  id: string; // "opp_000007"
  accountId: string;
  contactId?: string;
  name: string;
  stage: OpportunityStage;
  amount: number; // decimal currency units (USD)
  createdAt: number;
  closeDate: string; // YYYY-MM-DD (expected, or actual once closed)
  isClosed: boolean;
  isWon: boolean;
  updatedAt: number;
}

export interface SimCampaign {
  id: string; // "cmp_li_001" / "cmp_gg_001"
  platform: AdPlatform;
  name: string;
  status: 'ACTIVE' | 'PAUSED';
  dailyBudget: number; // decimal currency units
  createdAt: number;
}

/** One campaign's metrics for one day. Late-arriving metrics are re-emitted with the same key. */
export interface SimAdDay {
  platform: AdPlatform;
  campaignId: string;
  date: string; // YYYY-MM-DD
  impressions: number;
  clicks: number;
  costMicros: number; // integer micros of the account currency
  conversions: number;
}

/** A Google Ads click whose gclid a later offline conversion can reference. */
export interface SimClick {
  clickId: string;
  campaignId: string;
  accountId: string;
  contactId?: string;
  date: string; // YYYY-MM-DD
  occurredAt: number;
}

/** What the market pushes to an emulator as the simulated days pass. */
export type MarketEvent =
  | { kind: 'account'; account: SimAccount }
  | { kind: 'contact'; contact: SimContact }
  | { kind: 'contact_merged'; loserId: string; winnerId: string; at: number }
  | { kind: 'deleted'; entity: 'account' | 'contact' | 'opportunity'; id: string; at: number }
  | { kind: 'opportunity'; opportunity: SimOpportunity }
  | { kind: 'signal'; signal: SimSignal }
  | { kind: 'campaign'; campaign: SimCampaign }
  | { kind: 'ad_day'; day: SimAdDay }
  | { kind: 'click'; click: SimClick };

/** Anything that consumes market events (each emulator's state implements this). */
export interface MarketSink {
  apply(event: MarketEvent): void;
}

export type TreatmentChannel = 'email' | 'linkedin' | 'google' | 'sales_task';

/**
 * Something revloop did to a contact/account through a vendor API (an email enrolment, a sales
 * task, an audience add). Emulators translate such writes into treatments and hand them to the
 * market, whose hidden response functions decide whether the account moves forward.
 */
export interface SimTreatment {
  accountId: string;
  contactId?: string;
  channel: TreatmentChannel;
  topic?: string;
  variant?: string;
  sendHour?: number; // 0..23
  at: number;
}

export interface TreatmentSink {
  treat(treatment: SimTreatment): void;
}

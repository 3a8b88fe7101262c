// Kysely table types of the unified data model. Times are epoch milliseconds (bigint in
// Postgres, integer in SQLite); money is integer micros of the account currency; booleans are
// 0/1 integers; JSON is text. Those three conventions keep one set of queries portable.
import type { Generated } from 'kysely';

/** Columns every synced entity row has. */
export interface SyncedColumns {
  id: string;
  source_system: string;
  raw: string | null; // the vendor payload, JSON
  attributes: string | null; // unmapped / custom properties, JSON
  deleted: number; // soft delete
  deleted_at: number | null;
  created_at: number | null;
  updated_at: number | null;
  synced_at: number;
}

export interface AccountsTable extends SyncedColumns {
  name: string | null;
  domain: string | null;
  industry: string | null;
  size: string | null;
  region: string | null;
  employees: number | null;
  /** the resolved entity this row belongs to (NULL: not resolved yet, the row is its own entity) */
  resolved_id: string | null;
}

export interface ContactsTable extends SyncedColumns {
  account_id: string | null;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  title: string | null;
  persona: string | null;
  lifecycle_stage: string | null;
  merged_into: string | null;
  /** the resolved person this row belongs to (NULL: not resolved yet) */
  resolved_id: string | null;
}

export interface IdentityKeysTable {
  entity_type: string;
  key: string;
  entity_id: string;
}

export interface ResolvedAccountsTable {
  id: string;
  name: string | null;
  domain: string | null;
  industry: string | null;
  size: string | null;
  region: string | null;
  employees: number | null;
  attributes: string | null;
  members: number;
  systems: string; // JSON list of the systems its rows come from
  updated_at: number;
}

export interface ResolvedContactsTable {
  id: string;
  account_id: string | null;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  title: string | null;
  persona: string | null;
  lifecycle_stage: string | null;
  attributes: string | null;
  members: number;
  systems: string;
  updated_at: number;
}

export interface IdentityEventsTable {
  id: string;
  entity_type: string;
  kind: string; // 'merge' | 'split' | 'held'
  resolved_id: string | null;
  changes: string; // JSON
  reason: string | null;
  state: string; // 'applied' | 'held' | 'approved' | 'rejected' | 'undone'
  created_at: number;
  decided_at: number | null;
}

export interface IdentityOverridesTable {
  entity_type: string;
  a: string;
  b: string;
  rule: string; // 'together' | 'apart'
  reason: string | null;
  created_at: number;
}

export interface ExternalIdsTable {
  system: string;
  entity_type: string;
  system_id: string;
  entity_id: string;
  created_at: number;
}

export interface SignalsTable extends SyncedColumns {
  account_id: string | null;
  contact_id: string | null;
  type: string;
  topic: string | null;
  channel: string | null;
  campaign_id: string | null;
  occurred_at: number;
}

export interface CampaignsTable extends SyncedColumns {
  name: string | null;
  platform: string | null;
  status: string | null;
  daily_budget_micros: number | null;
}

export interface TouchpointsTable extends SyncedColumns {
  account_id: string | null;
  contact_id: string | null;
  campaign_id: string | null;
  channel: string;
  kind: string; // 'exposure' | 'click' | 'spend' | 'conversion'
  date: string | null; // YYYY-MM-DD for daily metrics
  impressions: number | null;
  clicks: number | null;
  spend_micros: number | null;
  conversions: number | null;
  click_id: string | null;
  occurred_at: number | null;
}

export interface OpportunitiesTable extends SyncedColumns {
  account_id: string | null;
  contact_id: string | null;
  name: string | null;
  stage: string | null;
  amount_micros: number | null;
  is_closed: number;
  is_won: number;
  close_date: string | null;
}

export interface DecisionsTable {
  id: string;
  workflow: string;
  step: string;
  account_id: string | null;
  contact_id: string | null;
  capability: string | null;
  decision_class: string | null;
  model: string | null;
  model_version: string | null;
  input_hash: string | null;
  features: string | null;
  output: string | null;
  cost_micros: number;
  latency_ms: number | null;
  approval_state: string; // 'not_required' | 'pending' | 'approved' | 'rejected' | 'expired'
  execution: string | null; // JSON: per-system results
  status: string;
  idempotency_key: string;
  created_at: number;
  updated_at: number;
}

export interface OutcomesTable {
  id: string;
  account_id: string | null;
  opportunity_id: string | null;
  decision_id: string | null;
  kind: string; // 'opportunity_created' | 'closed_won' | 'closed_lost' | 'ad_conversion'
  value_micros: number | null;
  source: string | null;
  attributes: string | null;
  occurred_at: number;
  created_at: number;
}

export interface ApprovalsTable {
  id: string;
  decision_id: string;
  decision_class: string;
  state: string; // 'pending' | 'approved' | 'rejected' | 'expired'
  requested_at: number;
  expires_at: number | null;
  decided_at: number | null;
  decided_by: string | null;
  reason: string | null;
}

export interface CostLedgerTable {
  id: Generated<number>;
  kind: string; // 'reserve' | 'settle' | 'release'
  budget: string | null;
  workflow: string | null;
  step: string | null;
  plugin: string | null;
  model: string | null;
  decision_id: string | null;
  tokens_in: number | null;
  tokens_out: number | null;
  cost_micros: number;
  created_at: number;
}

export interface ModelVersionsTable {
  id: string;
  model: string;
  version: string;
  capability: string;
  trained_at: number;
  window_start: number | null;
  window_end: number | null;
  metrics: string | null;
  params: string | null;
  active: number;
}

export interface SyncStateTable {
  connector: string;
  stream: string;
  checkpoint: string | null; // JSON
  updated_at: number;
}

export interface SyncRunsTable {
  id: string;
  connector: string;
  stream: string;
  mode: string; // 'incremental' | 'full'
  status: string; // 'running' | 'succeeded' | 'failed' | 'interrupted'
  started_at: number;
  finished_at: number | null;
  records_read: number;
  records_written: number;
  records_failed: number;
  records_deleted: number;
  error: string | null;
  errors: string | null; // JSON list of per-record errors (capped)
}

export interface PluginStateTable {
  plugin: string;
  key: string;
  value: string; // JSON
  updated_at: number;
}

export interface BudgetPeriodsTable {
  budget: string; // the budget rule's name
  period_start: number;
  limit_micros: number; // the limit when last reserved against
  reserved_micros: number; // open reservations
  spent_micros: number; // settled actual costs
  overrun_micros: number; // actual costs above their reservations
  updated_at: number;
}

export interface BudgetReservationsTable {
  id: string;
  budget: string;
  period_start: number;
  micros: number;
  state: string; // 'open' | 'released'
  created_at: number;
}

export interface Database {
  accounts: AccountsTable;
  contacts: ContactsTable;
  external_ids: ExternalIdsTable;
  signals: SignalsTable;
  campaigns: CampaignsTable;
  touchpoints: TouchpointsTable;
  opportunities: OpportunitiesTable;
  decisions: DecisionsTable;
  outcomes: OutcomesTable;
  approvals: ApprovalsTable;
  cost_ledger: CostLedgerTable;
  model_versions: ModelVersionsTable;
  sync_state: SyncStateTable;
  sync_runs: SyncRunsTable;
  plugin_state: PluginStateTable;
  budget_periods: BudgetPeriodsTable;
  budget_reservations: BudgetReservationsTable;
  identity_keys: IdentityKeysTable;
  resolved_accounts: ResolvedAccountsTable;
  resolved_contacts: ResolvedContactsTable;
  identity_events: IdentityEventsTable;
  identity_overrides: IdentityOverridesTable;
}

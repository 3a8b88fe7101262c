// The synced entity types of the unified model: their table, id prefix, the columns a connector
// may fill, and which columns are links to other entities (resolved through the identity map).
import type { Database } from './schema.js';

export type EntityType = 'account' | 'contact' | 'signal' | 'campaign' | 'touchpoint' | 'opportunity';
export type LinkName = 'account' | 'contact' | 'campaign';

export interface EntityDefinition {
  table: keyof Database & string;
  idPrefix: string;
  /** entity-specific columns a mapped record may set (the shared synced columns are implied) */
  columns: readonly string[];
  /** link name → the column holding the linked entity's id */
  links: Partial<Record<LinkName, string>>;
  /** columns that must be present on every mapped record */
  required: readonly string[];
}

export const entityDefinitions: Record<EntityType, EntityDefinition> = {
  account: {
    table: 'accounts',
    idPrefix: 'acct',
    columns: ['name', 'domain', 'industry', 'size', 'region', 'employees'],
    links: {},
    required: [],
  },
  contact: {
    table: 'contacts',
    idPrefix: 'cont',
    columns: ['email', 'first_name', 'last_name', 'title', 'persona', 'lifecycle_stage'],
    links: { account: 'account_id' },
    required: [],
  },
  signal: {
    table: 'signals',
    idPrefix: 'sig',
    columns: ['type', 'topic', 'channel', 'occurred_at'],
    links: { account: 'account_id', contact: 'contact_id', campaign: 'campaign_id' },
    required: ['type', 'occurred_at'],
  },
  campaign: {
    table: 'campaigns',
    idPrefix: 'camp',
    columns: ['name', 'platform', 'status', 'daily_budget_micros'],
    links: {},
    required: [],
  },
  touchpoint: {
    table: 'touchpoints',
    idPrefix: 'tp',
    columns: ['channel', 'kind', 'date', 'impressions', 'clicks', 'spend_micros', 'conversions', 'click_id', 'occurred_at'],
    links: { account: 'account_id', contact: 'contact_id', campaign: 'campaign_id' },
    required: ['channel', 'kind'],
  },
  opportunity: {
    table: 'opportunities',
    idPrefix: 'opp',
    columns: ['name', 'stage', 'amount_micros', 'is_closed', 'is_won', 'close_date'],
    links: { account: 'account_id', contact: 'contact_id' },
    required: [],
  },
};

export const entityTypes = Object.keys(entityDefinitions) as EntityType[];

export function isEntityType(value: string): value is EntityType {
  return value in entityDefinitions;
}

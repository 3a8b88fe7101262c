// The GAQL fields the emulator knows, how each is read from a row context, and which resources
// (FROM clauses) may select it.
import type { SimClick } from '../../../market/types.js';
import type { CampaignRecord, ConversionActionRecord, OfflineJobRecord, UserListRecord } from '../state.js';

export interface Metrics {
  impressions: number;
  clicks: number;
  costMicros: number;
  conversions: number;
}

/** One fact a row is built from. */
export interface RowContext {
  customerId: string;
  campaign?: CampaignRecord;
  date?: string;
  metrics?: Metrics;
  click?: SimClick;
  userList?: UserListRecord;
  conversionAction?: ConversionActionRecord;
  job?: OfflineJobRecord;
}

export type FieldKind = 'attribute' | 'segment' | 'metric';
export type FieldValue = string | number | undefined;

export interface FieldDef {
  kind: FieldKind;
  /** int64 fields travel as strings but compare as numbers */
  numeric: boolean;
  get(ctx: RowContext): FieldValue;
}

const attr = (get: FieldDef['get'], numeric = false): FieldDef => ({ kind: 'attribute', numeric, get });
const metric = (get: (m: Metrics) => number): FieldDef => ({ kind: 'metric', numeric: true, get: (ctx) => (ctx.metrics ? get(ctx.metrics) : undefined) });

const cid = (ctx: RowContext) => ctx.customerId;

export const fields: Record<string, FieldDef> = {
  'customer.id': attr(cid, true),
  'customer.resource_name': attr((ctx) => `customers/${cid(ctx)}`),
  'customer.descriptive_name': attr(() => 'revloop sandbox'),
  'customer.currency_code': attr(() => 'USD'),
  'customer.time_zone': attr(() => 'Etc/UTC'),

  'campaign.id': attr((ctx) => ctx.campaign?.id, true),
  'campaign.resource_name': attr((ctx) => ctx.campaign && `customers/${cid(ctx)}/campaigns/${ctx.campaign.id}`),
  'campaign.name': attr((ctx) => ctx.campaign?.name),
  'campaign.status': attr((ctx) => ctx.campaign?.status),
  'campaign.advertising_channel_type': attr((ctx) => ctx.campaign && 'SEARCH'),

  'ad_group.id': attr((ctx) => ctx.campaign?.adGroupId, true),
  'ad_group.resource_name': attr((ctx) => ctx.campaign && `customers/${cid(ctx)}/adGroups/${ctx.campaign.adGroupId}`),
  'ad_group.name': attr((ctx) => ctx.campaign?.adGroupName),
  'ad_group.status': attr((ctx) => ctx.campaign && 'ENABLED'),
  'ad_group.campaign': attr((ctx) => ctx.campaign && `customers/${cid(ctx)}/campaigns/${ctx.campaign.id}`),

  'click_view.gclid': attr((ctx) => ctx.click?.clickId),
  'click_view.resource_name': attr((ctx) => ctx.click && `customers/${cid(ctx)}/clickViews/${ctx.click.date}~${ctx.click.clickId}`),

  'user_list.id': attr((ctx) => ctx.userList?.id, true),
  'user_list.resource_name': attr((ctx) => ctx.userList && `customers/${cid(ctx)}/userLists/${ctx.userList.id}`),
  'user_list.name': attr((ctx) => ctx.userList?.name),
  'user_list.description': attr((ctx) => ctx.userList?.description),
  'user_list.type': attr((ctx) => ctx.userList && 'CRM_BASED'),
  'user_list.size_for_search': attr((ctx) => ctx.userList && String(ctx.userList.members.size), true),
  'user_list.size_for_display': attr((ctx) => ctx.userList && String(ctx.userList.members.size), true),

  'conversion_action.id': attr((ctx) => ctx.conversionAction?.id, true),
  'conversion_action.resource_name': attr((ctx) => ctx.conversionAction && `customers/${cid(ctx)}/conversionActions/${ctx.conversionAction.id}`),
  'conversion_action.name': attr((ctx) => ctx.conversionAction?.name),
  'conversion_action.status': attr((ctx) => ctx.conversionAction && 'ENABLED'),
  'conversion_action.type': attr((ctx) => ctx.conversionAction && 'UPLOAD_CLICKS'),

  'offline_user_data_job.id': attr((ctx) => ctx.job?.id, true),
  'offline_user_data_job.resource_name': attr((ctx) => ctx.job && `customers/${cid(ctx)}/offlineUserDataJobs/${ctx.job.id}`),
  'offline_user_data_job.status': attr((ctx) => ctx.job?.status),
  'offline_user_data_job.type': attr((ctx) => ctx.job && 'CUSTOMER_MATCH_USER_LIST'),
  'offline_user_data_job.external_id': attr((ctx) => ctx.job?.externalId, true),
  'offline_user_data_job.customer_match_user_list_metadata.user_list': attr((ctx) => ctx.job && `customers/${cid(ctx)}/userLists/${ctx.job.userListId}`),

  'segments.date': { kind: 'segment', numeric: false, get: (ctx) => ctx.date },

  'metrics.impressions': metric((m) => m.impressions),
  'metrics.clicks': metric((m) => m.clicks),
  'metrics.cost_micros': metric((m) => m.costMicros),
  'metrics.conversions': metric((m) => m.conversions),
  'metrics.ctr': metric((m) => (m.impressions ? m.clicks / m.impressions : 0)),
  'metrics.average_cpc': metric((m) => (m.clicks ? m.costMicros / m.clicks : 0)),
};

/** Per FROM resource: the field prefixes (or exact fields) it may select. */
export const resources: Record<string, string[]> = {
  customer: ['customer.'],
  campaign: ['campaign.', 'customer.', 'metrics.', 'segments.date'],
  ad_group: ['ad_group.', 'campaign.', 'customer.', 'metrics.', 'segments.date'],
  click_view: ['click_view.', 'campaign.', 'ad_group.', 'customer.', 'segments.date', 'metrics.clicks'],
  user_list: ['user_list.', 'customer.'],
  conversion_action: ['conversion_action.', 'customer.'],
  offline_user_data_job: ['offline_user_data_job.', 'customer.'],
};

export function selectableFrom(resource: string, field: string): boolean {
  return (resources[resource] ?? []).some((p) => (p.endsWith('.') ? field.startsWith(p) : field === p));
}

// How to ask adAnalytics for daily campaign rows so that no response can reach LinkedIn's row cap.
// adAnalytics has no pagination and cuts a response at 15,000 elements without saying so; with
// pivot=CAMPAIGN and DAILY granularity a response holds at most campaigns × days rows, so the
// request is sized from the account's campaign count: fewer days per request when the account has
// many campaigns, and campaign facets of CAMPAIGNS_PER_REQUEST when even one day could reach it.

/** LinkedIn's cap on the elements of one adAnalytics response */
export const ANALYTICS_ROW_LIMIT = 15_000;
/** campaign URNs per `campaigns=List(...)` facet (keeps the request line short) */
export const CAMPAIGNS_PER_REQUEST = 50;

export interface AnalyticsPlan {
  /** null: one request per date range for the whole ad account (accounts facet); else one per group */
  campaignGroups: string[][] | null;
  /** days per request */
  days: number;
}

/** the most rows a response may hold and still be known complete */
const SAFE_ROWS = ANALYTICS_ROW_LIMIT - 1;

export function planAnalytics(campaignIds: readonly string[], maxDays: number): AnalyticsPlan {
  const count = Math.max(1, campaignIds.length);
  if (count <= SAFE_ROWS) return { campaignGroups: null, days: Math.max(1, Math.min(maxDays, Math.floor(SAFE_ROWS / count))) };
  const groups: string[][] = [];
  for (let i = 0; i < campaignIds.length; i += CAMPAIGNS_PER_REQUEST) groups.push(campaignIds.slice(i, i + CAMPAIGNS_PER_REQUEST));
  return { campaignGroups: groups, days: Math.max(1, Math.min(maxDays, Math.floor(SAFE_ROWS / CAMPAIGNS_PER_REQUEST))) };
}

/** a response this large may have been cut by LinkedIn */
export const mayBeCut = (rows: number) => rows >= ANALYTICS_ROW_LIMIT;

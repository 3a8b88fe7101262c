// HubSpot's internal lifecycle stage values → the unified model's stages.
const stages: Record<string, string> = {
  subscriber: 'subscriber',
  lead: 'lead',
  marketingqualifiedlead: 'mql',
  salesqualifiedlead: 'sql',
  opportunity: 'opportunity',
  customer: 'customer',
  evangelist: 'customer',
};

export function lifecycleStage(v: string | null | undefined): string | null {
  if (!v) return null;
  return stages[v.toLowerCase()] ?? v.toLowerCase();
}

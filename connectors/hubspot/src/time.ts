// HubSpot sends times as ISO strings (CRM v3), epoch ms (legacy v1) or, through the SDK, Date objects.
export function toMs(v: unknown): number | null {
  if (v === null || v === undefined || v === '') return null;
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  const s = String(v);
  if (/^\d+$/.test(s)) return Number(s);
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? null : ms;
}

// Salesforce's wire formats for time: datetimes as "2024-01-01T00:00:00.000+0000", dates as
// "2024-01-01". Records store epoch ms; stored times have whole-second precision like the real API.

export function formatDateTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

export function truncateToSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

export function truncateToMinute(ms: number): number {
  return Math.floor(ms / 60_000) * 60_000;
}

const DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses a SOQL / query-string datetime (Z or ±hh:mm / ±hhmm offset); undefined when invalid. */
export function parseDateTime(text: string): number | undefined {
  const m = DATETIME.exec(text);
  if (!m) return undefined;
  const zone = m[8] === 'Z' ? 'Z' : `${m[8]!.slice(0, 3)}:${m[8]!.slice(-2)}`;
  const ms = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7] ?? ''}${zone}`);
  if (Number.isNaN(ms)) return undefined;
  // Date.parse rolls over impossible values (month 13) on some inputs; reject them explicitly
  if (Number(m[2]) > 12 || Number(m[3]) > 31 || Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 59) return undefined;
  return ms;
}

export function isDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(text);
}

export const DAY_MS = 86_400_000;

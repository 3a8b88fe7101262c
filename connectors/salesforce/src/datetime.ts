// Salesforce wire times: "2024-01-01T00:00:00.000+0000" (datetimes) and "2024-01-01" (dates).

/** epoch ms of a Salesforce datetime, or null */
export function parseSfDateTime(value: unknown): number | null {
  if (typeof value !== 'string' || value === '') return null;
  const iso = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

export function floorToMinute(ms: number): number {
  return Math.floor(ms / 60_000) * 60_000;
}

/** "YYYY-MM-DD" (UTC) of an epoch ms */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

// LinkedIn analytics days are calendar days; revloop reads them as UTC days (YYYY-MM-DD).
const DAY_MS = 86_400_000;

export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function dayStart(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

export function addDays(date: string, days: number): string {
  return isoDate(dayStart(date) + days * DAY_MS);
}

export const maxDate = (a: string, b: string) => (a > b ? a : b);
export const minDate = (a: string, b: string) => (a < b ? a : b);

/** [from, to] cut into consecutive ranges of at most `size` days */
export function dateRanges(from: string, to: string, size: number): { from: string; to: string }[] {
  const out: { from: string; to: string }[] = [];
  for (let start = from; start <= to; start = addDays(start, size)) {
    const end = addDays(start, size - 1);
    out.push({ from: start, to: end < to ? end : to });
  }
  return out;
}

/** ms until the next 00:00 UTC */
export function msUntilUtcMidnight(now: number): number {
  return DAY_MS - (now % DAY_MS);
}

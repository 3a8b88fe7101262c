// Dates of Google Ads reports (segments.date) are calendar days, YYYY-MM-DD. revloop treats them
// as UTC days (the account time zone is not applied: see BEHAVIOR.md).
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

export function maxDate(a: string, b: string): string {
  return a > b ? a : b;
}

/** [from, to] cut into consecutive ranges of at most `size` days */
export function dateRanges(from: string, to: string, size: number): { from: string; to: string }[] {
  const out: { from: string; to: string }[] = [];
  for (let start = from; start <= to; start = addDays(start, size)) {
    const end = addDays(start, size - 1);
    out.push({ from: start, to: end < to ? end : to });
  }
  return out;
}

/** 'yyyy-mm-dd hh:mm:ss+00:00', the format conversion uploads expect */
export function conversionDateTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}+00:00`;
}

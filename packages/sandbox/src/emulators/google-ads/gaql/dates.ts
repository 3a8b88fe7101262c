// Date helpers for segments.date filters. Dates are YYYY-MM-DD in the account's time zone,
// which the emulator fixes to UTC.
import { GaqlError, type Condition } from './parse.js';

const DAY_MS = 86_400_000;
const datePattern = /^\d{4}-\d{2}-\d{2}$/;

export function isoDate(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

function addDays(date: string, days: number): string {
  return isoDate(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS);
}

export function checkDate(value: unknown): string {
  if (typeof value !== 'string' || !datePattern.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new GaqlError('INVALID_DATE_FORMAT', `Error in WHERE clause: invalid date '${String(value)}', expected YYYY-MM-DD.`, String(value));
  }
  return value;
}

/** [first, last] inclusive for a DURING constant, relative to today. */
export function duringRange(constant: string, today: string): [string, string] {
  const month = today.slice(0, 7);
  switch (constant.toUpperCase()) {
    case 'TODAY':
      return [today, today];
    case 'YESTERDAY':
      return [addDays(today, -1), addDays(today, -1)];
    case 'LAST_7_DAYS':
      return [addDays(today, -7), addDays(today, -1)];
    case 'LAST_14_DAYS':
      return [addDays(today, -14), addDays(today, -1)];
    case 'LAST_30_DAYS':
      return [addDays(today, -30), addDays(today, -1)];
    case 'THIS_MONTH':
      return [`${month}-01`, today];
    case 'LAST_MONTH': {
      const last = addDays(`${month}-01`, -1);
      return [`${last.slice(0, 7)}-01`, last];
    }
    default:
      throw new GaqlError('INVALID_VALUE_WITH_DURING_OPERATOR', `Error in WHERE clause: unsupported DURING value '${constant}'.`, constant);
  }
}

/**
 * The closed range the segments.date conditions allow, or undefined when they do not bound it on
 * both sides (the real API requires a finite range whenever segments.date is selected).
 */
export function dateBounds(conditions: Condition[], today: string): [string, string] | undefined {
  let low: string | undefined;
  let high: string | undefined;
  const tighten = (l?: string, h?: string) => {
    if (l !== undefined && (low === undefined || l > low)) low = l;
    if (h !== undefined && (high === undefined || h < high)) high = h;
  };
  for (const c of conditions) {
    if (c.field !== 'segments.date') continue;
    const v = c.values;
    if (c.op === 'DURING') tighten(...duringRange(String(v[0]), today));
    else if (c.op === 'BETWEEN') tighten(checkDate(v[0]), checkDate(v[1]));
    else if (c.op === '=') tighten(checkDate(v[0]), checkDate(v[0]));
    else if (c.op === '>=') tighten(checkDate(v[0]));
    else if (c.op === '>') tighten(addDays(checkDate(v[0]), 1));
    else if (c.op === '<=') tighten(undefined, checkDate(v[0]));
    else if (c.op === '<') tighten(undefined, addDays(checkDate(v[0]), -1));
    else if (c.op === 'IN') {
      const dates = v.map(checkDate).sort();
      tighten(dates[0], dates[dates.length - 1]);
    }
  }
  return low !== undefined && high !== undefined ? [low, high] : undefined;
}

export function daysBetween(first: string, last: string): number {
  return Math.round((Date.parse(`${last}T00:00:00Z`) - Date.parse(`${first}T00:00:00Z`)) / DAY_MS) + 1;
}

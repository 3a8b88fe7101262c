// LinkedIn's Marketing API version calendar: one release a month from 202206, each supported "for
// a minimum of one year" and then sunset (426 NONEXISTENT_VERSION). Dates LinkedIn published in
// its migrations table are below; any other version is sunset on the 15th of its month one year
// later (the published dates fall on the 15th–22nd of that month). The gate reads the emulator
// clock, so a run in simulated 2024 serves versions a run at today's date refuses.
// Source: https://learn.microsoft.com/linkedin/marketing/integrations/migrations,
// https://learn.microsoft.com/linkedin/marketing/versioning.

export const FIRST_VERSION = '202206';
/** the newest release the emulator knows of (July 2026, per LinkedIn's recent-changes page) */
export const NEWEST_VERSION = '202607';

export const PUBLISHED_SUNSETS: Readonly<Record<string, string>> = {
  '202407': '2025-07-22',
  '202408': '2025-08-18',
  '202409': '2025-09-15',
  '202410': '2025-10-15',
  '202411': '2025-11-17',
  '202510': '2026-10-15',
  '202511': '2026-11-16',
  '202601': '2027-01-15',
  '202602': '2027-02-15',
  '202603': '2027-03-16',
};

export interface VersionPolicy {
  /** the newest released version (YYYYMM); newer ones were never released → 426 */
  latest: string;
  /** versions switched off whatever the calendar says (YYYYMM or YYYYMM.RR) */
  sunset: string[];
  /** sunset dates (YYYY-MM-DD, UTC) by YYYYMM, over the published ones */
  sunsetDates: Record<string, string>;
}

export const DEFAULT_VERSIONS: VersionPolicy = { latest: NEWEST_VERSION, sunset: [], sunsetDates: {} };

/** the day (epoch ms, UTC) a version stops answering */
export function sunsetAt(policy: VersionPolicy, ym: string): number {
  const date = policy.sunsetDates[ym] ?? PUBLISHED_SUNSETS[ym] ?? `${Number(ym.slice(0, 4)) + 1}-${ym.slice(4, 6)}-15`;
  return Date.parse(`${date}T00:00:00Z`);
}

/** true when LinkedIn answers this version at `now` */
export function isActive(policy: VersionPolicy, version: string, now: number): boolean {
  const ym = version.slice(0, 6);
  if (ym < FIRST_VERSION || ym > policy.latest) return false;
  if (policy.sunset.includes(ym) || policy.sunset.includes(version)) return false;
  return now < sunsetAt(policy, ym);
}

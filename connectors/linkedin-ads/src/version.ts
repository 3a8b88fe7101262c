// The LinkedIn-Version this connector speaks, and LinkedIn's sunset calendar, in ONE place.
// LinkedIn releases a Marketing API version every month (header `LinkedIn-Version: YYYYMM`),
// supports each "for a minimum of one year", then switches it off: a sunset version answers
// 426 NONEXISTENT_VERSION on every call. The sunset dates LinkedIn has published are below; a
// version not in the table is taken to be sunset on the 15th of its month one year later (the
// published dates fall on the 15th–22nd of that month).
// Source: https://learn.microsoft.com/linkedin/marketing/integrations/migrations (the "API
// Migration Status" table) and https://learn.microsoft.com/linkedin/marketing/versioning.
import { RevloopError } from '@revloop/core';

/**
 * The default LinkedIn-Version: the newest release this connector was checked against (202607,
 * July 2026, per LinkedIn's recent-changes page). Move it, and NEWEST_KNOWN_VERSION, when the
 * connector is tested against a newer version; `apiVersion` in config overrides it per instance.
 */
export const LINKEDIN_API_VERSION = '202607';
/** the newest version the calendar below knows LinkedIn has released */
export const NEWEST_KNOWN_VERSION = LINKEDIN_API_VERSION;
/** LinkedIn's first versioned Marketing API release (June 2022) */
export const FIRST_VERSION = '202206';

/** sunset dates (UTC days) from LinkedIn's migrations table */
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

export const VERSION_PATTERN = /^\d{6}(\.\d{2})?$/;

/** YYYYMM of an epoch ms (UTC) */
export function versionOfMonth(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** the month before a YYYYMM version */
export function previousVersion(version: string): string {
  const y = Number(version.slice(0, 4));
  const m = Number(version.slice(4, 6));
  return m === 1 ? `${y - 1}12` : `${y}${String(m - 1).padStart(2, '0')}`;
}

export interface Sunset {
  /** YYYY-MM-DD (UTC): from that day on, the version answers 426 */
  date: string;
  /** true: LinkedIn published the date; false: estimated (the 15th, one year after release) */
  published: boolean;
}

/** when a version (YYYYMM or YYYYMM.RR) is switched off */
export function sunsetOf(version: string): Sunset {
  const ym = version.slice(0, 6);
  const published = PUBLISHED_SUNSETS[ym];
  if (published) return { date: published, published: true };
  return { date: `${Number(ym.slice(0, 4)) + 1}-${ym.slice(4, 6)}-15`, published: false };
}

export const isSunset = (version: string, nowMs: number): boolean => nowMs >= Date.parse(`${sunsetOf(version).date}T00:00:00Z`);

/**
 * The newest version LinkedIn serves at `nowMs` by the calendar: the newest known release not
 * after the current month, stepped back past any sunset one (and past `refused`: versions
 * LinkedIn just answered 426 to are not supported, whatever the calendar says).
 */
export function newestSupportedVersion(nowMs: number, refused: readonly string[] = []): string {
  const month = versionOfMonth(nowMs);
  const no = new Set(refused.map((r) => r.slice(0, 6)));
  let v = month < NEWEST_KNOWN_VERSION ? month : NEWEST_KNOWN_VERSION;
  while (v > FIRST_VERSION && (isSunset(v, nowMs) || no.has(v))) v = previousVersion(v);
  return v;
}

/**
 * Why LinkedIn would refuse this version at `nowMs`, or undefined when it answers: sunset by the
 * calendar, older than the first versioned release, or not released yet.
 */
export function versionProblem(version: string, nowMs: number): string | undefined {
  const ym = version.slice(0, 6);
  const newest = newestSupportedVersion(nowMs);
  const fix = `set apiVersion: '${newest}' (the newest version LinkedIn serves today by its calendar), or remove apiVersion to use the connector's default ${LINKEDIN_API_VERSION}; read LinkedIn's migration notes for the versions in between`;
  if (ym < FIRST_VERSION) return `LinkedIn-Version ${version} never existed: LinkedIn's first versioned Marketing API is ${FIRST_VERSION}. Fix: ${fix}`;
  if (ym > versionOfMonth(nowMs)) return `LinkedIn-Version ${version} is not released yet (LinkedIn releases one version a month; this month is ${versionOfMonth(nowMs)}). Fix: ${fix}`;
  if (isSunset(version, nowMs)) {
    const s = sunsetOf(version);
    return `LinkedIn-Version ${version} was sunset on ${s.date} (${s.published ? "LinkedIn's migrations table" : 'one year after its release, by LinkedIn\'s versioning policy'}): every call would answer 426. Fix: ${fix}`;
  }
  return undefined;
}

/**
 * Versions worth probing after a 426, newest first: from the current month (LinkedIn's newest
 * possible release) down to the month after the rejected one, at most `max` of them.
 */
export function candidateVersions(rejected: string, nowMs: number, max = 15): string[] {
  const out: string[] = [];
  for (let v = versionOfMonth(nowMs); v > rejected.slice(0, 6) && out.length < max; v = previousVersion(v)) out.push(v);
  return out;
}

export function versionSunsetError(input: {
  connector: string;
  version: string;
  fromConfig: boolean;
  vendorMessage: string;
  /** a version that answered the probe */
  active?: string;
  /** versions the probe found refused (426) */
  refused: readonly string[];
  nowMs: number;
}): RevloopError {
  const where = input.fromConfig ? `connectors.${input.connector}.apiVersion` : `LINKEDIN_API_VERSION in connectors/linkedin-ads/src/version.ts (no apiVersion in connectors.${input.connector})`;
  // a version that answered the probe beats the calendar; without one, the calendar names it
  const target = input.active ?? newestSupportedVersion(input.nowMs, [input.version, ...input.refused]);
  const how = input.active ? `it answers now` : `the newest version LinkedIn serves by its published calendar; no newer month answered the probe`;
  return new RevloopError(
    'LINKEDIN_VERSION_SUNSET',
    `LinkedIn API version ${input.version} is sunset: LinkedIn answered 426 "${input.vendorMessage}"; the newest supported version is ${target}`,
    {
      where,
      fix: `move to LinkedIn-Version ${target} (${how}): set \`apiVersion: '${target}'\` in connectors.${input.connector} (the default is the constant LINKEDIN_API_VERSION = '${LINKEDIN_API_VERSION}'); read LinkedIn's migration notes for the versions in between before you do (https://learn.microsoft.com/linkedin/marketing/integrations/migrations)`,
    },
  );
}

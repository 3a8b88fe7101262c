// The LinkedIn-Version this connector speaks, in ONE place. LinkedIn releases a version every
// month (header `LinkedIn-Version: YYYYMM`) and switches each off about a year later: a sunset
// version answers 426 NONEXISTENT_VERSION on every call. Override per instance with config
// `apiVersion`; move this constant when the connector is tested against a newer version.
import { RevloopError } from '@revloop/core';

export const LINKEDIN_API_VERSION = '202501';

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

/**
 * Versions worth probing after a 426, newest first: from the current month (LinkedIn's newest
 * possible release) down to the month after the rejected one, at most `max` of them.
 */
export function candidateVersions(rejected: string, nowMs: number, max = 15): string[] {
  const out: string[] = [];
  for (let v = versionOfMonth(nowMs); v > rejected.slice(0, 6) && out.length < max; v = previousVersion(v)) out.push(v);
  return out;
}

export function versionSunsetError(input: { connector: string; version: string; fromConfig: boolean; vendorMessage: string; active?: string }): RevloopError {
  const where = input.fromConfig ? `connectors.${input.connector}.apiVersion` : `LINKEDIN_API_VERSION in connectors/linkedin-ads/src/version.ts (no apiVersion in connectors.${input.connector})`;
  const move = input.active
    ? `move to LinkedIn-Version ${input.active} (it answers now)`
    : `move to a newer LinkedIn-Version (none of the last months answered; see https://learn.microsoft.com/linkedin/marketing/versioning)`;
  return new RevloopError(
    'LINKEDIN_VERSION_SUNSET',
    `LinkedIn API version ${input.version} is sunset: LinkedIn answered 426 "${input.vendorMessage}"`,
    {
      where,
      fix: `${move}: set \`apiVersion: '${input.active ?? 'YYYYMM'}'\` in connectors.${input.connector} (the default is the constant LINKEDIN_API_VERSION = '${LINKEDIN_API_VERSION}'); read LinkedIn's migration notes for the versions in between before you do`,
    },
  );
}

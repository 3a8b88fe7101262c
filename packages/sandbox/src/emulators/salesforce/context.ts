// Everything a route handler needs, built once per emulator instance.
import type { FaultController } from '../faults.js';
import type { ApiUsage } from './api-usage.js';
import type { TokenStore } from './auth.js';
import type { EmulatorClock } from './clock.js';
import type { EmulatorLimits } from './limits.js';
import type { QueryCursors } from './query-cursors.js';
import type { SalesforceState } from './state.js';

export interface SalesforceContext {
  state: SalesforceState;
  tokens: TokenStore;
  usage: ApiUsage;
  cursors: QueryCursors;
  faults: FaultController;
  clock: EmulatorClock;
  limits: EmulatorLimits;
}

export const MIN_VERSION = 31;
export const MAX_VERSION = 62;

/** "v62.0" → "62.0", or undefined for a version this emulator (and Salesforce Summer '24) does not serve. */
export function parseVersion(segment: string | undefined): string | undefined {
  const m = segment ? /^v(\d+)\.0$/.exec(segment) : null;
  if (!m) return undefined;
  const n = Number(m[1]);
  return n >= MIN_VERSION && n <= MAX_VERSION ? `${n}.0` : undefined;
}

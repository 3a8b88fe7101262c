// Checks every /rest request passes before reaching a resource: LinkedIn-Version, Rest.li protocol
// header, bearer token (expiry on the emulator clock), and the application's daily/minute quotas.
import type { MiddlewareHandler } from 'hono';
import { errors, linkedInError } from './errors.js';
import type { LinkedInState } from './state.js';

export interface VersionPolicy {
  oldest: string; // YYYYMM
  latest: string; // YYYYMM
  sunset: string[]; // versions switched off even though inside [oldest, latest]
}

const VERSION = /^(\d{6})(?:\.(\d{2}))?$/;

export function versionGate(policy: VersionPolicy): MiddlewareHandler {
  return async (c, next) => {
    const version = c.req.header('linkedin-version');
    if (!version) return errors.versionMissing();
    const m = VERSION.exec(version.trim());
    if (!m) return errors.versionInactive(version.trim());
    const ym = m[1];
    if (ym < policy.oldest || ym > policy.latest || policy.sunset.includes(ym) || policy.sunset.includes(version.trim()))
      return errors.versionInactive(version.trim());
    await next();
  };
}

export function protocolGate(): MiddlewareHandler {
  return async (c, next) => {
    // Without 2.0.0 LinkedIn parses query params with the 1.0 syntax and List(...) is rejected.
    if (c.req.header('x-restli-protocol-version') !== '2.0.0')
      return linkedInError(400, 'Rest.li protocol version 2.0.0 is required: set the X-Restli-Protocol-Version header');
    await next();
  };
}

export function tokenGate(state: LinkedInState, tokenTtlMs: () => number): MiddlewareHandler {
  return async (c, next) => {
    const auth = c.req.header('authorization') ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    if (!m) return linkedInError(401, 'Empty oauth2_access_token', { serviceErrorCode: 401 });
    const check = state.checkAccessToken(m[1], tokenTtlMs());
    if (check === 'invalid') return errors.invalidToken();
    if (check === 'revoked') return errors.revokedToken();
    if (check === 'expired') return errors.expiredToken();
    await next();
  };
}

/** Application-level quotas on the simulated clock (LinkedIn resets the daily quota at midnight UTC). */
export function quotaGate(now: () => number, perDay?: number, perMinute?: number): MiddlewareHandler {
  let day = -1;
  let minute = -1;
  let dayCount = 0;
  let minuteCount = 0;
  return async (_c, next) => {
    if (perDay === undefined && perMinute === undefined) return next();
    const t = now();
    const d = Math.floor(t / 86_400_000);
    const m = Math.floor(t / 60_000);
    if (d !== day) [day, dayCount] = [d, 0];
    if (m !== minute) [minute, minuteCount] = [m, 0];
    if (perDay !== undefined && dayCount >= perDay) return errors.throttled('DAY');
    if (perMinute !== undefined && minuteCount >= perMinute) return errors.throttled('MINUTE');
    dayCount++;
    minuteCount++;
    await next();
  };
}

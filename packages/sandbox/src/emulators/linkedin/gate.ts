// Checks every /rest request passes before reaching a resource: LinkedIn-Version, Rest.li protocol
// header, bearer token (expiry on the emulator clock), and the application's daily/minute quotas.
import type { MiddlewareHandler } from 'hono';
import { errors, linkedInError } from './errors.js';
import type { LinkedInState } from './state.js';
import { isActive, type VersionPolicy } from './versions.js';

const VERSION = /^(\d{6})(?:\.(\d{2}))?$/;

/** 426 for a version outside LinkedIn's calendar at the emulator clock's now (see versions.ts) */
export function versionGate(policy: VersionPolicy, now: () => number): MiddlewareHandler {
  return async (c, next) => {
    const version = c.req.header('linkedin-version');
    if (!version) return errors.versionMissing();
    const m = VERSION.exec(version.trim());
    if (!m) return errors.versionInactive(version.trim());
    if (!isActive(policy, version.trim(), now())) return errors.versionInactive(version.trim());
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

// How Salesforce (through jsforce) reports failures, and what revloop does about each.
import { RevloopError } from '@revloop/core';

export interface VendorError {
  name?: string;
  message?: string;
  errorCode?: string;
  code?: string;
}

export const RECONNECT_FIX =
  'reconnect Salesforce: authorize the connected app again (OAuth web-server flow for the integration user) and put the new refresh token in the secret behind connectors.<name>.refreshToken';

const REFRESH_WRAPPER = /^Unable to refresh session due to:/i;
/** what Salesforce's token endpoint says when it refuses a grant (error_description of a 400 invalid_grant) */
const REFUSED_GRANT = /invalid_grant|expired|revoked|authentication failure|inactive|not approved|restricted|invalid (refresh|client)/i;
/** a refresh that never got an answer: the network, not a refusal */
const REFRESH_NETWORK = /ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|socket hang up|fetch failed|terminated|network|timed? ?out/i;

/**
 * jsforce loses invalid_grant: a failed refresh only survives as "Unable to refresh session due
 * to: <error_description>". Only a description that says the grant was refused counts: the same
 * wrapper carries a dropped connection to the token endpoint, and that must not be remembered as
 * a revoked connection for the rest of the run.
 */
export function isRefreshFailure(e: unknown): boolean {
  const err = e as VendorError;
  if (err?.errorCode === 'invalid_grant' || err?.name === 'invalid_grant') return true;
  const message = err?.message ?? '';
  return REFRESH_WRAPPER.test(message) && REFUSED_GRANT.test(message) && !REFRESH_NETWORK.test(message);
}

/** 403 REQUEST_LIMIT_EXCEEDED "TotalRequests Limit exceeded.": the org's rolling 24-hour allocation */
export function isDailyLimit(e: unknown): boolean {
  const err = e as VendorError;
  return err?.errorCode === 'REQUEST_LIMIT_EXCEEDED' && /TotalRequests/i.test(err.message ?? '');
}

const TRANSIENT_CODES = new Set(['SERVER_UNAVAILABLE', 'UNABLE_TO_LOCK_ROW', 'UNKNOWN_EXCEPTION', 'ERROR_HTTP_500', 'ERROR_HTTP_502', 'ERROR_HTTP_503', 'ERROR_HTTP_504']);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET']);

/** worth another attempt: 5xx, row locks, dropped connections, and REQUEST_LIMIT_EXCEEDED that is not the daily limit (concurrency) */
export function isTransient(e: unknown): boolean {
  const err = e as VendorError;
  if (!err) return false;
  if (err.errorCode && TRANSIENT_CODES.has(err.errorCode)) return true;
  if (err.errorCode === 'REQUEST_LIMIT_EXCEEDED' && !isDailyLimit(e)) return true;
  if (err.name === 'FetchError' || (err.code && NETWORK_CODES.has(err.code))) return true;
  // the token endpoint dropped the connection during a refresh: jsforce wraps it without a code
  if (REFRESH_WRAPPER.test(err.message ?? '') && REFRESH_NETWORK.test(err.message ?? '')) return true;
  return false;
}

export function reconnectError(where: string, cause: unknown): RevloopError {
  return new RevloopError('SALESFORCE_RECONNECT_REQUIRED', `Salesforce refused the refresh token (${(cause as VendorError)?.message ?? 'invalid_grant'}): the connection was revoked or expired`, {
    where,
    fix: RECONNECT_FIX,
    cause,
  });
}

export function dailyLimitError(where: string, detail: string, cause?: unknown): RevloopError {
  return new RevloopError('RATE_LIMIT_EXHAUSTED', `the daily API request allocation of the Salesforce org is spent (${detail})`, {
    where,
    fix: 'nothing is lost: the next run resumes from the last checkpoint once the rolling 24-hour allocation frees requests (or raise the org limit / lower apiReserve)',
    cause,
  });
}

export const SESSION_REFUSED_FIX =
  'the refresh token works (Salesforce issued a new session) but the API refuses the session: check that the integration user is active and has the "API Enabled" permission, that the connected app is allowed for that user (profile or permission set; "Admin approved users are pre-authorized"), its IP relaxation and the user\'s login IP ranges / "Lock sessions to the IP address from which they originated", and that instanceUrl is the org\'s own My Domain URL';

/** a 401 from the API right after a successful refresh: the new token was refused too; not retried */
export function sessionRefusedError(where: string, instanceUrl: string, remembered = false): RevloopError {
  const message = `Salesforce at ${instanceUrl} answered 401 (session invalid) to a session token it had just issued: the refresh succeeded and the new token was refused too`;
  return new RevloopError('SALESFORCE_SESSION_REFUSED', remembered ? `${message} (less than a minute ago; nothing sent this time)` : message, { where, fix: SESSION_REFUSED_FIX });
}

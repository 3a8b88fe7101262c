// A refresh that fails because the token endpoint dropped the connection is retried, not
// remembered as a revoked connection (jsforce wraps both in the same message).
import { describe, expect, it } from 'vitest';
import { isRefreshFailure, isTransient } from '../src/errors.js';

const wrapped = (m: string) => new Error(`Unable to refresh session due to: ${m}`);

describe('salesforce: refresh failures', () => {
  it.each(['expired access/refresh token', 'authentication failure', 'inactive user', 'invalid_grant'])('"%s" is a refusal (reconnect), not retried', (m) => {
    expect(isRefreshFailure(wrapped(m))).toBe(true);
    expect(isTransient(wrapped(m))).toBe(false);
  });

  it.each(['read ECONNRESET', 'socket hang up', 'fetch failed', 'connect ECONNREFUSED 127.0.0.1:1'])('"%s" is the network: retried, never remembered as a refusal', (m) => {
    expect(isRefreshFailure(wrapped(m))).toBe(false);
    expect(isTransient(wrapped(m))).toBe(true);
  });

  it('an invalid_grant error code is a refusal whatever its text', () => {
    expect(isRefreshFailure(Object.assign(new Error('x'), { name: 'invalid_grant' }))).toBe(true);
  });
});

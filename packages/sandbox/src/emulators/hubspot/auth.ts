// Private-app / OAuth bearer tokens: missing or unknown -> 401 INVALID_AUTHENTICATION,
// older than tokenTtlMs (simulated clock) -> 401 EXPIRED_AUTHENTICATION.
import type { HubSpotErrorBody } from './errors.js';

export type AuthResult = { ok: true } | { ok: false; body: Omit<HubSpotErrorBody, 'correlationId'> };

const notFoundMessage =
  'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview';

export function checkBearer(header: string | undefined, tokens: Map<string, number>, ttlMs: number, now: number): AuthResult {
  const token = /^Bearer\s+(.+)$/i.exec(header ?? '')?.[1]?.trim();
  const issuedAt = token === undefined ? undefined : tokens.get(token);
  if (issuedAt === undefined) return { ok: false, body: { status: 'error', message: notFoundMessage, category: 'INVALID_AUTHENTICATION' } };
  if (ttlMs > 0 && now - issuedAt >= ttlMs) {
    const minutes = Math.max(1, Math.floor((now - issuedAt - ttlMs) / 60_000));
    return {
      ok: false,
      body: { status: 'error', message: `The OAuth token used to make this call expired ${minutes} minute(s) ago.`, category: 'EXPIRED_AUTHENTICATION', context: { expires_at: [new Date(issuedAt + ttlMs).toISOString()] } },
    };
  }
  return { ok: true };
}

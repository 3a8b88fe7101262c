// An access-token cache for a connector whose credential is an OAuth refresh token (or any
// credential exchanged for short-lived tokens). It holds the pieces every such connector needs:
// - the token is kept until `skewMs` before its expiry (by the caller's clock: simulated in tests)
// - one refresh at a time: concurrent callers share it
// - a refusal (the token endpoint said the refresh token or the client is bad: invalid_grant,
//   400/401) is remembered for the life of the cache, so that no further request goes to the token
//   endpoint with that credential: retrying cannot fix it, and a sync calling on every record
//   would storm the endpoint (and can get the app rate-limited or flagged)
// - reject(token): the API refused this token before its time (revoked, rotated): the next
//   token() refreshes. A rejection of an older token leaves a newer one in place.
import { isRevloopError } from '@revloop/core';

export interface TokenGrant {
  token: string;
  /** epoch ms on the cache's clock; undefined: no known expiry (kept until rejected) */
  expiresAt?: number;
}

export interface TokenCacheOptions {
  /** asks the token endpoint for a new token; throws when it cannot */
  refresh(): Promise<TokenGrant>;
  /** the clock expiry is measured on (ctx.clock.now) */
  now(): number;
  /** refresh this long before expiry, ms (default 60 s) */
  skewMs?: number;
  /**
   * true for an error of refresh() that retrying cannot fix, remembered and thrown again without a
   * request. Default: a RevloopError of kind bad_input (the credential or the client is wrong).
   */
  isRefusal?(e: unknown): boolean;
  /** a token from before the first refresh (kept in ctx.state, or given in config): read once */
  initial?(): Promise<TokenGrant | undefined> | TokenGrant | undefined;
}

export interface TokenCache {
  /** a token valid for at least skewMs more, refreshing when needed; throws a remembered refusal */
  token(): Promise<string>;
  /** the API refused this token: the next token() refreshes. true when it was the cached one */
  reject(token: string): boolean;
  /** refreshes that succeeded */
  readonly refreshes: number;
  /** the remembered refusal, if any */
  readonly refused: unknown;
}

const badInput = (e: unknown) => isRevloopError(e) && e.kind === 'bad_input';

export function createTokenCache(options: TokenCacheOptions): TokenCache {
  const skewMs = options.skewMs ?? 60_000;
  const isRefusal = options.isRefusal ?? badInput;
  let cached: TokenGrant | undefined;
  let loaded: Promise<void> | undefined;
  let inflight: Promise<string> | undefined;
  let refused: { error: unknown } | undefined;
  let refreshes = 0;

  const fresh = (g: TokenGrant | undefined): g is TokenGrant => !!g && (g.expiresAt === undefined || g.expiresAt - skewMs > options.now());

  async function refresh(): Promise<string> {
    try {
      const grant = await options.refresh();
      cached = grant;
      refreshes++;
      return grant.token;
    } catch (e) {
      if (isRefusal(e)) refused = { error: e };
      throw e;
    }
  }

  return {
    get refreshes() {
      return refreshes;
    },
    get refused() {
      return refused?.error;
    },
    async token() {
      if (refused) throw refused.error;
      if (options.initial) {
        // read once, shared by concurrent first callers; a failed read is tried again next time
        loaded ??= (async () => {
          const g = await options.initial!();
          if (g && !cached) cached = g;
        })().catch((e: unknown) => {
          loaded = undefined;
          throw e;
        });
        await loaded;
      }
      if (fresh(cached)) return cached.token;
      inflight ??= refresh().finally(() => (inflight = undefined));
      return inflight;
    },
    reject(token) {
      if (cached?.token !== token) return false;
      cached = undefined;
      return true;
    },
  };
}

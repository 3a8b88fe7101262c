// OAuth tokens of the emulated org: access tokens (with an optional TTL on the emulator clock),
// refresh tokens that can be revoked, and the connected-app / user credentials they are issued to.
import { seededRandom } from '../faults.js';

export const ORG_ID = '00D8d0000000001EAA';
export const USER_ID = '0058d0000000001AAA';

export interface Credentials {
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
}

export const DEFAULT_CREDENTIALS: Credentials = {
  clientId: '3MVG9sandbox.revloop.emulator',
  clientSecret: 'sandbox-client-secret',
  username: 'admin@revloop.sandbox',
  password: 'sandbox-password',
};

interface AccessToken {
  issuedAt: number;
  refreshToken?: string;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export class TokenStore {
  private readonly access = new Map<string, AccessToken>();
  private readonly refresh = new Set<string>();
  private readonly random: () => number;
  /** refresh-token grants the token endpoint received, answered or refused */
  refreshRequests = 0;

  constructor(
    readonly credentials: Credentials,
    private readonly now: () => number,
    seed: number,
    private readonly ttlMs: () => number,
  ) {
    this.random = seededRandom(seed ^ 0x5f0c);
  }

  private randomText(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += ALPHABET[Math.floor(this.random() * ALPHABET.length)];
    return s;
  }

  /** Issues an access token (and a refresh token unless one is given to tie it to). */
  issue(refreshToken?: string): { accessToken: string; refreshToken: string; issuedAt: number } {
    const rt = refreshToken ?? `5Aep861${this.randomText(80)}`;
    this.refresh.add(rt);
    const accessToken = `${ORG_ID.slice(0, 15)}!${this.randomText(96)}`;
    const issuedAt = this.now();
    this.access.set(accessToken, { issuedAt, refreshToken: rt });
    return { accessToken, refreshToken: rt, issuedAt };
  }

  /** Issues an access token without a refresh token (the password grant). */
  issueAccessOnly(): { accessToken: string; issuedAt: number } {
    const accessToken = `${ORG_ID.slice(0, 15)}!${this.randomText(96)}`;
    const issuedAt = this.now();
    this.access.set(accessToken, { issuedAt });
    return { accessToken, issuedAt };
  }

  isValidAccess(token: string): boolean {
    const t = this.access.get(token);
    if (!t) return false;
    const ttl = this.ttlMs();
    return ttl <= 0 || this.now() - t.issuedAt < ttl;
  }

  isValidRefresh(token: string): boolean {
    return this.refresh.has(token);
  }

  /** Revoking a refresh token also ends every access token issued from it (Salesforce does the same). */
  revoke(token: string): boolean {
    if (this.refresh.delete(token)) {
      for (const [at, info] of this.access) if (info.refreshToken === token) this.access.delete(at);
      return true;
    }
    return this.access.delete(token);
  }

  /** Ends an access token at once, as if its session timed out. */
  expire(accessToken: string): void {
    this.access.delete(accessToken);
  }
}

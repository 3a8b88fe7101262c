// Opaque paging tokens, like the ones HubSpot hands out in `paging.next.after` (events v3, v4
// association batch reads) and `offset` (legacy email events). A token carries the position inside
// one query and is signed, so a client that sends a running count, a guessed number or a token of
// another query gets a 400 instead of a page: the real API has no such thing as a numeric offset.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

const payloadSchema = z.object({ s: z.string(), p: z.number().int().min(0), t: z.number() }).strict();

export class PagingTokens {
  constructor(private readonly secret: string) {}

  /** a token for `position` inside the query named by `scope` (the query's own parameters), issued at `at` */
  issue(scope: string, position: number, at = 0): string {
    const payload = Buffer.from(JSON.stringify({ s: scope, p: position, t: at })).toString('base64url');
    return `${payload}.${this.sign(payload)}`;
  }

  /** the position a token carries; undefined when this emulator did not issue it for `scope` */
  read(scope: string, token: string): number | undefined {
    return this.open(scope, token)?.position;
  }

  /** the position and issue time a token carries; undefined when this emulator did not issue it for `scope` */
  open(scope: string, token: string): { position: number; issuedAt: number } | undefined {
    const [payload, sig, ...rest] = token.split('.');
    if (!payload || !sig || rest.length) return undefined;
    const want = Buffer.from(this.sign(payload));
    const got = Buffer.from(sig);
    if (want.length !== got.length || !timingSafeEqual(want, got)) return undefined;
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    const parsed = payloadSchema.safeParse(decoded);
    return parsed.success && parsed.data.s === scope ? { position: parsed.data.p, issuedAt: parsed.data.t } : undefined;
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url').slice(0, 22);
  }
}

/** a numeric string: what a client that counts records itself sends instead of the token */
export const looksLikeCount = (raw: string): boolean => /^\d+$/.test(raw);

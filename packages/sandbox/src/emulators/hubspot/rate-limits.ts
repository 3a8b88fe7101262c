// HubSpot's API limits (private app): SECONDLY, TEN_SECONDLY_ROLLING and DAILY, counted exactly
// with rolling windows on a wall clock (injectable). Only admitted requests are counted.
export interface RateLimitSettings {
  secondlyLimit?: number;
  tenSecondlyLimit?: number;
  dailyLimit?: number;
  /** wall clock for the windows; default Date.now */
  wallClock?: () => number;
}

export type RatePolicy = 'SECONDLY' | 'TEN_SECONDLY_ROLLING' | 'DAILY';

export const rateLimitMessages: Record<RatePolicy, string> = {
  SECONDLY: 'You have reached your secondly limit.',
  TEN_SECONDLY_ROLLING: 'You have reached your ten_secondly_rolling limit.',
  DAILY: 'You have reached your daily limit.',
};

/** Timestamps of admitted requests inside a rolling window. */
class RollingWindow {
  private stamps: number[] = [];
  private head = 0;

  constructor(private readonly windowMs: number) {}

  count(now: number): number {
    while (this.head < this.stamps.length && this.stamps[this.head]! <= now - this.windowMs) this.head++;
    if (this.head > 4096 && this.head * 2 > this.stamps.length) {
      this.stamps = this.stamps.slice(this.head);
      this.head = 0;
    }
    return this.stamps.length - this.head;
  }

  add(now: number): void {
    this.stamps.push(now);
  }
}

export interface RateDecision {
  rejected?: RatePolicy;
  headers: Record<string, string>;
}

export class RateLimiter {
  readonly counts = { admitted: 0, rejected: { SECONDLY: 0, TEN_SECONDLY_ROLLING: 0, DAILY: 0 } as Record<RatePolicy, number> };
  private readonly secondly = new RollingWindow(1000);
  private readonly tenSecondly = new RollingWindow(10_000);
  private day = -1;
  private dailyUsed = 0;
  private readonly wall: () => number;

  constructor(private readonly settings: RateLimitSettings) {
    this.wall = settings.wallClock ?? Date.now;
  }

  get enabled(): boolean {
    const s = this.settings;
    return !!(s.secondlyLimit || s.tenSecondlyLimit || s.dailyLimit);
  }

  /** Admits (and counts) the request, or names the policy that rejects it. */
  admit(): RateDecision {
    const now = this.wall();
    const { secondlyLimit, tenSecondlyLimit, dailyLimit } = this.settings;
    const today = Math.floor(now / 86_400_000); // the daily limit resets at midnight (UTC here)
    if (today !== this.day) {
      this.day = today;
      this.dailyUsed = 0;
    }
    const usedSecond = this.secondly.count(now);
    const usedTen = this.tenSecondly.count(now);
    let rejected: RatePolicy | undefined;
    if (dailyLimit && this.dailyUsed >= dailyLimit) rejected = 'DAILY';
    else if (secondlyLimit && usedSecond >= secondlyLimit) rejected = 'SECONDLY';
    else if (tenSecondlyLimit && usedTen >= tenSecondlyLimit) rejected = 'TEN_SECONDLY_ROLLING';
    const admitted = rejected ? 0 : 1;
    if (rejected) this.counts.rejected[rejected]++;
    else {
      this.counts.admitted++;
      this.secondly.add(now);
      this.tenSecondly.add(now);
      this.dailyUsed++;
    }
    const headers: Record<string, string> = {};
    if (dailyLimit) {
      headers['X-HubSpot-RateLimit-Daily'] = String(dailyLimit);
      headers['X-HubSpot-RateLimit-Daily-Remaining'] = String(Math.max(0, dailyLimit - this.dailyUsed));
    }
    if (tenSecondlyLimit) {
      headers['X-HubSpot-RateLimit-Interval-Milliseconds'] = '10000';
      headers['X-HubSpot-RateLimit-Max'] = String(tenSecondlyLimit);
      headers['X-HubSpot-RateLimit-Remaining'] = String(Math.max(0, tenSecondlyLimit - usedTen - admitted));
    }
    if (secondlyLimit) {
      headers['X-HubSpot-RateLimit-Secondly'] = String(secondlyLimit);
      headers['X-HubSpot-RateLimit-Secondly-Remaining'] = String(Math.max(0, secondlyLimit - usedSecond - admitted));
    }
    return rejected ? { rejected, headers } : { headers };
  }
}

export function rateLimitBody(policy: RatePolicy, correlationId: string, portalId: number) {
  const group = policy === 'DAILY' ? 'daily' : policy === 'SECONDLY' ? 'secondly' : 'ten-secondly';
  return {
    status: 'error',
    message: rateLimitMessages[policy],
    errorType: 'RATE_LIMIT',
    correlationId,
    policyName: policy,
    groupName: `publicapi:private-app-api-calls-${group}:${portalId}`,
  };
}

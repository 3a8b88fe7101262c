// Daily API request allocation: a rolling 24-hour window on the emulator clock, counted per
// minute like Salesforce's own (approximate) accounting.
import { DAY_MS } from './datetime.js';

export class ApiUsage {
  private readonly buckets: { minute: number; count: number }[] = [];
  private used = 0;

  constructor(
    readonly max: number,
    private readonly now: () => number,
  ) {}

  private expire(): void {
    const oldest = Math.floor((this.now() - DAY_MS) / 60_000);
    while (this.buckets.length && this.buckets[0]!.minute <= oldest) this.used -= this.buckets.shift()!.count;
  }

  /** Counts one request; false when the allocation is already spent (the request is refused). */
  tryUse(): boolean {
    this.expire();
    if (this.used >= this.max) return false;
    const minute = Math.floor(this.now() / 60_000);
    const last = this.buckets[this.buckets.length - 1];
    if (last && last.minute === minute) last.count++;
    else this.buckets.push({ minute, count: 1 });
    this.used++;
    return true;
  }

  usage(): { used: number; max: number; remaining: number } {
    this.expire();
    return { used: this.used, max: this.max, remaining: Math.max(0, this.max - this.used) };
  }

  header(): string {
    const { used, max } = this.usage();
    return `api-usage=${used}/${max}`;
  }
}

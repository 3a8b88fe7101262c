// HubSpot webhooks (v3 signatures): the state queues change events; flush() POSTs them in
// batches of up to 100 to the app's target URL, as HubSpot does.
import { createHmac } from 'node:crypto';

export interface HubSpotWebhookEvent {
  eventId: number;
  subscriptionId: number;
  portalId: number;
  appId: number;
  occurredAt: number;
  subscriptionType: string; // contact.creation, contact.propertyChange, deal.propertyChange, contact.merge, contact.deletion …
  attemptNumber: number;
  objectId: number;
  propertyName?: string;
  propertyValue?: string;
  changeSource: string;
  mergedObjectIds?: number[];
  primaryObjectId?: number;
}

export interface WebhookConfig {
  targetUrl: string;
  clientSecret: string;
  appId: number;
  portalId: number;
  /** subscription types to emit; default: all */
  subscriptions?: string[];
}

/**
 * X-HubSpot-Signature-v3: base64(HMAC-SHA256(clientSecret, method + uri + body + timestamp)).
 * `uri` is the full URL the request is sent to. Exported so tests can build forged or stale ones.
 */
export function signHubSpotWebhookV3(input: { clientSecret: string; method: string; uri: string; body: string; timestamp: number | string }): string {
  return createHmac('sha256', input.clientSecret)
    .update(`${input.method.toUpperCase()}${input.uri}${input.body}${input.timestamp}`, 'utf8')
    .digest('base64');
}

export class WebhookOutbox {
  private queue: HubSpotWebhookEvent[] = [];
  private nextEventId = 1;

  constructor(
    private readonly config: WebhookConfig,
    private readonly now: () => number,
  ) {}

  get pending(): readonly HubSpotWebhookEvent[] {
    return this.queue;
  }

  record(e: Omit<HubSpotWebhookEvent, 'eventId' | 'subscriptionId' | 'portalId' | 'appId' | 'attemptNumber' | 'changeSource'> & { changeSource?: string }): void {
    const subs = this.config.subscriptions;
    if (subs && !subs.includes(e.subscriptionType)) return;
    const subscriptionId = 1000 + (subs ? subs.indexOf(e.subscriptionType) : 0);
    this.queue.push({
      eventId: this.nextEventId++,
      subscriptionId,
      portalId: this.config.portalId,
      appId: this.config.appId,
      attemptNumber: 0,
      changeSource: 'CRM',
      ...e,
    });
  }

  /** POSTs queued events (≤100 per request). Failed batches stay queued with attemptNumber + 1. */
  async flush(): Promise<{ delivered: number; failed: number; statuses: number[] }> {
    const batches: HubSpotWebhookEvent[][] = [];
    for (let i = 0; i < this.queue.length; i += 100) batches.push(this.queue.slice(i, i + 100));
    this.queue = [];
    let delivered = 0;
    let failed = 0;
    const statuses: number[] = [];
    for (const batch of batches) {
      const body = JSON.stringify(batch);
      const timestamp = this.now();
      const signature = signHubSpotWebhookV3({ clientSecret: this.config.clientSecret, method: 'POST', uri: this.config.targetUrl, body, timestamp });
      let status = 0;
      try {
        const res = await fetch(this.config.targetUrl, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'X-HubSpot-Signature-v3': signature,
            'X-HubSpot-Request-Timestamp': String(timestamp),
            'User-Agent': 'HubSpot Connect 2.0 (http://dev.hubspot.com/)',
          },
          body,
        });
        status = res.status;
        await res.arrayBuffer();
      } catch {
        status = 0;
      }
      statuses.push(status);
      if (status >= 200 && status < 300) delivered += batch.length;
      else {
        failed += batch.length;
        this.queue.push(...batch.map((e) => ({ ...e, attemptNumber: e.attemptNumber + 1 })));
      }
    }
    return { delivered, failed, statuses };
  }
}

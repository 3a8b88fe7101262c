// The market's engagement signals as HubSpot exposes them: email opens/clicks as email events
// (GET /email/public/v1/events) and web activity as behavioral events (GET /events/v3/events).
import type { SimSignal } from '../../market/types.js';

export interface EmailEvent {
  id: string;
  created: number;
  type: 'OPEN' | 'CLICK';
  recipient: string;
  emailCampaignId: number;
  url?: string;
  contactId: string;
}

export interface WebEvent {
  id: string;
  objectType: 'CONTACT' | 'COMPANY';
  objectId: string;
  eventType: 'e_visited_page' | 'e_submitted_form' | 'e_document_viewed';
  occurredAt: number;
  properties: Record<string, string>;
}

export const siteUrl = 'https://www.revloop-sandbox.example';

/** A stable campaign id per topic so that the campaign endpoint can name the topic. */
export function emailCampaignIdOf(topic: string | undefined): number {
  let h = 2166136261;
  for (const ch of topic ?? 'general') h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return 10_000_000 + (h % 10_000_000);
}

export function topicUrl(signal: SimSignal): string {
  switch (signal.type) {
    case 'pricing_visit':
      return `${siteUrl}/pricing`;
    case 'demo_visit':
      return `${siteUrl}/demo`;
    case 'content_download':
      return `${siteUrl}/resources/${signal.topic ?? 'general'}.pdf`;
    default:
      return `${siteUrl}/blog/${signal.topic ?? 'general'}`;
  }
}

export function webEventTypeOf(type: SimSignal['type']): WebEvent['eventType'] | undefined {
  switch (type) {
    case 'page_view':
    case 'pricing_visit':
    case 'demo_visit':
      return 'e_visited_page';
    case 'form_fill':
      return 'e_submitted_form';
    case 'content_download':
      return 'e_document_viewed';
    default:
      return undefined;
  }
}

/** Keeps events in occurredAt order (the market emits in time order; inserts stay cheap). */
export function insertByTime<T>(list: T[], item: T, at: (t: T) => number): void {
  let i = list.length;
  while (i > 0 && at(list[i - 1]!) > at(item)) i--;
  list.splice(i, 0, item);
}

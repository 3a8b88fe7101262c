import { startLinkedInEmulator, type LinkedInEmulatorOptions, type LinkedInEmulator } from '../../src/emulators/linkedin/index.js';
import type { MarketEvent } from '../../src/market/types.js';

export const VERSION = '202501';

export async function start(options: LinkedInEmulatorOptions = {}) {
  const emu = await startLinkedInEmulator(options);
  const call = (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
    fetch(`${emu.url}${path}`, {
      ...init,
      headers: {
        Authorization: `Bearer ${emu.accessToken}`,
        'LinkedIn-Version': VERSION,
        'X-Restli-Protocol-Version': '2.0.0',
        ...(init.body ? { 'Content-Type': 'application/json' } : {}),
        ...init.headers,
      },
    });
  return { emu, call };
}

export function campaign(id: string, platform: 'linkedin' | 'google' = 'linkedin'): MarketEvent {
  return { kind: 'campaign', campaign: { id, platform, name: `Campaign ${id}`, status: 'ACTIVE', dailyBudget: 50, createdAt: Date.UTC(2024, 0, 1) } };
}

export function adDay(campaignId: string, date: string, impressions: number, costMicros: number, conversions = 0): MarketEvent {
  return { kind: 'ad_day', day: { platform: 'linkedin', campaignId, date, impressions, clicks: Math.floor(impressions / 100), costMicros, conversions } };
}

export type Emu = LinkedInEmulator;

// Signals: legacy email events (email-events.ts) and behavioral web events (web-events.ts).
import { Hono } from 'hono';
import type { PagingTokens } from '../paging-tokens.js';
import type { HubSpotState } from '../state.js';
import { emailEventRoutes } from './email-events.js';
import { webEventRoutes } from './web-events.js';

export function eventRoutes(state: HubSpotState, tokens: PagingTokens, emailOffsetTtlMs?: number): Hono {
  const app = new Hono({ strict: false });
  app.route('/', emailEventRoutes(state, tokens, emailOffsetTtlMs));
  app.route('/', webEventRoutes(state, tokens));
  return app;
}

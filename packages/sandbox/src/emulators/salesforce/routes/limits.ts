// GET /services/data (versions) and GET /services/data/vXX.X/limits.
import type { Hono } from 'hono';
import { jsonResponse } from '../errors.js';
import { MAX_VERSION, MIN_VERSION, type SalesforceContext } from '../context.js';

export function registerLimitRoutes(app: Hono, ctx: SalesforceContext): void {
  app.get('/services/data', (c) => {
    const versions = [];
    for (let v = MIN_VERSION; v <= MAX_VERSION; v++) versions.push({ label: `v${v}.0`, url: `/services/data/v${v}.0`, version: `${v}.0` });
    return c.json(versions);
  });

  app.get('/services/data/:version/limits', () => {
    const { max, remaining } = ctx.usage.usage();
    return jsonResponse(200, {
      DailyApiRequests: { Max: max, Remaining: remaining },
      DailyBulkApiBatches: { Max: 15000, Remaining: 15000 },
      DataStorageMB: { Max: 1024, Remaining: 1024 },
      SingleEmail: { Max: 5000, Remaining: 5000 },
    });
  });
}

// `revloop check --live` for Salesforce: read-only calls that show what would fail later.
// - API version: GET /services/data lists the versions the org serves; a configured version
//   Salesforce retired answers every call 410/404 after its retirement date.
// - Daily API requests: GET /limits (DailyApiRequests.Remaining against apiReserve).
// - The custom fields the actions write (scoreField / segmentField on Contact and Lead, taskKeyField
//   on Task): describe shows whether the integration user sees them (field-level security).
import { z } from 'zod';
import { isRevloopError, type LiveCheckFinding, type PluginContext } from '@revloop/core';
import { clientFor } from './client.js';
import type { SalesforceConfig } from './config.js';

const versionsSchema = z.array(z.looseObject({ version: z.string() }));
const limitsSchema = z.looseObject({ DailyApiRequests: z.looseObject({ Max: z.number(), Remaining: z.number() }).optional() });
const describeSchema = z.looseObject({ fields: z.array(z.looseObject({ name: z.string(), updateable: z.boolean().optional() })) });

export async function salesforceLiveCheck(ctx: PluginContext<SalesforceConfig>): Promise<LiveCheckFinding[]> {
  const findings: LiveCheckFinding[] = [];
  try {
    await liveFindings(ctx, findings);
  } catch (e) {
    // the allocation (or apiReserve) stops every further call: that is the finding
    if (!isRevloopError(e) || e.code !== 'RATE_LIMIT_EXHAUSTED') throw e;
    findings.push({ what: 'daily API requests', ok: false, detail: e.message, ...(e.fix ? { fix: e.fix } : {}) });
  }
  return findings;
}

async function liveFindings(ctx: PluginContext<SalesforceConfig>, findings: LiveCheckFinding[]): Promise<void> {
  const client = clientFor(ctx);
  const c = ctx.config;

  const versions = versionsSchema.parse(await client.request({ method: 'GET', url: '/services/data' }, 'list API versions')).map((v) => v.version);
  const newest = versions.at(-1) ?? '?';
  findings.push(
    versions.includes(c.apiVersion)
      ? { what: `API version ${c.apiVersion}`, ok: true, detail: `served by the org (newest: ${newest})` }
      : {
          what: `API version ${c.apiVersion}`,
          ok: false,
          detail: `not served by the org (it serves ${versions[0] ?? '?'} to ${newest})`,
          fix: `set apiVersion: '${newest}' in connectors.${ctx.name}, or leave it out for the connector's own version`,
        },
  );
  if (!versions.includes(c.apiVersion)) return; // every versioned call would answer 404

  const daily = limitsSchema.parse(await client.request({ method: 'GET', url: '/limits' }, 'limits')).DailyApiRequests;
  if (!daily) findings.push({ what: 'daily API requests', ok: true, unknown: true, detail: '/limits did not report DailyApiRequests' });
  else {
    const ok = daily.Remaining > c.apiReserve;
    findings.push({
      what: 'daily API requests',
      ok,
      detail: `${daily.Remaining} of ${daily.Max} remaining in the rolling 24 hours${c.apiReserve ? ` (apiReserve keeps ${c.apiReserve})` : ''}`,
      ...(ok ? {} : { fix: 'wait for the rolling 24-hour allocation to free requests, lower apiReserve, or raise the org limit' }),
    });
  }

  const writes: Array<[sobject: string, field: string, usedBy: string, required: boolean]> = [
    ['Contact', c.scoreField, 'update-person-fields (score)', true],
    ['Contact', c.segmentField, 'update-person-fields (segment)', true],
    ['Lead', c.scoreField, 'update-person-fields (score)', true],
    ['Lead', c.segmentField, 'update-person-fields (segment)', true],
    ['Task', c.taskKeyField, 'create-tasks idempotency key (falls back to WhoId+Subject+ActivityDate)', false],
  ];
  const described = new Map<string, Map<string, boolean | undefined>>();
  for (const [sobject, field, usedBy, required] of writes) {
    let fields = described.get(sobject);
    if (!fields) {
      const body = describeSchema.parse(await client.request({ method: 'GET', url: `/sobjects/${sobject}/describe` }, `describe ${sobject}`));
      described.set(sobject, (fields = new Map(body.fields.map((f) => [f.name.toLowerCase(), f.updateable]))));
    }
    const updateable = fields.get(field.toLowerCase());
    const visible = fields.has(field.toLowerCase());
    const ok = visible && updateable !== false;
    findings.push({
      what: `field ${sobject}.${field}`,
      ok: ok || !required,
      detail: ok ? `writable (${usedBy})` : `${visible ? 'read-only' : 'not visible'} to the integration user: ${usedBy}${required ? ' would fail' : ''}`,
      ...(ok ? {} : { fix: `create ${sobject}.${field} (Setup → Object Manager → ${sobject} → Fields) and give the integration user's profile edit access to it` }),
    });
  }
}

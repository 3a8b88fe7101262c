// The connector settings a separate `revloop serve` process needs to read and write a running
// sandbox: the hubspot, salesforce, linkedin and google connectors pointed at its emulators, with
// literal values (no `$sandbox` references: those would make the CLI start a sandbox of its own),
// the HubSpot portal's persona names, and re-read windows wide enough for a short simulated day.
// Printed and written by `revloop sandbox` (--config-out); documented in docs/live.md.
import { DAY_MS } from '../market/clock.js';
import { hubspotPersonaNames } from '../emulators/hubspot/market-mapping.js';

/** HubSpot's and Salesforce's re-read windows (ms) can be no wider than this (their config schemas' caps) */
const HUBSPOT_MAX_LOOKBACK_MS = 7 * DAY_MS;
const SALESFORCE_MAX_LOOKBACK_MS = DAY_MS;
const HUBSPOT_DEFAULT_LOOKBACK_MS = 300_000;

/**
 * How far back an incremental read must re-read on a market whose day lasts `msPerDay`: a day's
 * events appear once the wall clock has passed its end, stamped across that day, so a read can
 * meet an event up to a day (plus the timer's lag) older than what it read before. Three days
 * leave room for a busy machine.
 */
export function lookbackFor(msPerDay: number): number {
  return 3 * msPerDay;
}

const pick = (refs: Record<string, string>, key: string): string => {
  const v = refs[key];
  if (v === undefined) throw new Error(`the sandbox has no "${key}": was its emulator started?`);
  return v;
};

export type ServeConnectors = Record<string, Record<string, string | number | boolean | Record<string, string>>>;

/**
 * The `connectors` section of a revloop config for the sandbox whose refs these are (vendors
 * whose emulator was not started are left out). `msPerDay`: the market's time scale.
 */
export function serveConnectorsFor(refs: Record<string, string>, msPerDay = DAY_MS): ServeConnectors {
  const lookback = lookbackFor(msPerDay);
  const out: ServeConnectors = {};
  if (refs['hubspot.url']) {
    out.hubspot = {
      plugin: '@revloop/connector-hubspot',
      baseUrl: pick(refs, 'hubspot.url'),
      accessToken: pick(refs, 'hubspot.token'),
      personas: { ...hubspotPersonaNames },
      ...(msPerDay < DAY_MS ? { lookbackMs: Math.min(HUBSPOT_MAX_LOOKBACK_MS, Math.max(HUBSPOT_DEFAULT_LOOKBACK_MS, lookback)) } : {}),
    };
  }
  if (refs['salesforce.url']) {
    out.salesforce = {
      plugin: '@revloop/connector-salesforce',
      instanceUrl: pick(refs, 'salesforce.url'),
      loginUrl: pick(refs, 'salesforce.url'),
      clientId: pick(refs, 'salesforce.clientId'),
      clientSecret: pick(refs, 'salesforce.clientSecret'),
      refreshToken: pick(refs, 'salesforce.refreshToken'),
      ...(msPerDay < DAY_MS ? { lookbackMs: Math.min(SALESFORCE_MAX_LOOKBACK_MS, lookback) } : {}),
    };
  }
  if (refs['linkedin.url']) {
    out.linkedin = {
      plugin: '@revloop/connector-linkedin-ads',
      apiBaseUrl: pick(refs, 'linkedin.url'),
      oauthBaseUrl: pick(refs, 'linkedin.url'),
      clientId: pick(refs, 'linkedin.clientId'),
      clientSecret: pick(refs, 'linkedin.clientSecret'),
      refreshToken: pick(refs, 'linkedin.refreshToken'),
      adAccountId: pick(refs, 'linkedin.adAccountId'),
    };
  }
  if (refs['googleAds.endpoint']) {
    out.google = {
      plugin: '@revloop/connector-google-ads',
      apiEndpoint: pick(refs, 'googleAds.endpoint'),
      insecure: true, // the connector allows it for a loopback endpoint only
      customerId: pick(refs, 'googleAds.customerId'),
      developerToken: pick(refs, 'googleAds.developerToken'),
      clientId: 'revloop-sandbox-client-id',
      clientSecret: 'revloop-sandbox-client-secret',
      refreshToken: 'revloop-sandbox-refresh-token',
    };
  }
  return out;
}

type Yamlable = string | number | boolean | { [key: string]: Yamlable };

/** YAML for nested maps of scalars: strings double-quoted (JSON strings are valid YAML scalars) */
function yamlLines(value: { [key: string]: Yamlable }, indent: string): string[] {
  const lines: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    const k = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : JSON.stringify(key);
    if (v !== null && typeof v === 'object') lines.push(`${indent}${k}:`, ...yamlLines(v, `${indent}  `));
    else lines.push(`${indent}${k}: ${typeof v === 'string' ? JSON.stringify(v) : String(v)}`);
  }
  return lines;
}

/** a YAML revloop config holding the connectors section (a file `revloop --config` can load as is) */
export function serveConfigYaml(refs: Record<string, string>, msPerDay = DAY_MS, header: string[] = []): string {
  const lines = [
    ...header.map((h) => `# ${h}`),
    '# connectors of a revloop config pointed at a running `revloop sandbox` (packages/sandbox/docs/live.md)',
    'connectors:',
    ...yamlLines(serveConnectorsFor(refs, msPerDay), '  '),
  ];
  return `${lines.join('\n')}\n`;
}

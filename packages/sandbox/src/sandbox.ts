// The embedded sandbox: one simulated market feeding all five vendor emulators on 127.0.0.1,
// with revloop's writes routed back to the market as treatments. `revloop sandbox`, the default
// config, the tests and the benchmarks all start it here. By default its market moves only when
// told (advanceDay); `live` makes it move with the wall clock on an accelerated day (docs/live.md).
import { readFileSync } from 'node:fs';
import { createMarket, labelOracleFor, loadScenario, loadScenarioSpec, type Market, type Scenario } from './market/index.js';
import { identityNoiseFor, withIdentityNoise } from './market/identity-noise.js';
import type { FaultSpec } from './emulators/faults.js';
import { driveLive, liveEmulatorClock, planLive, type LiveDriver, type LiveOptions, type LivePlan } from './live/live-market.js';
import { startHubSpotEmulator, type HubSpotEmulator } from './emulators/hubspot/index.js';
import { startSalesforceEmulator, type SalesforceEmulator } from './emulators/salesforce/index.js';
import { startLinkedInEmulator, type LinkedInEmulator } from './emulators/linkedin/index.js';
import { startGoogleAdsEmulator, type GoogleAdsEmulator } from './emulators/google-ads/index.js';
import { startOpenAIEmulator, type OpenAIEmulator } from './emulators/openai/index.js';

export type VendorName = 'hubspot' | 'salesforce' | 'linkedin' | 'googleAds' | 'openai';

export interface SandboxOptions {
  /** a scenario object, a path to a scenario JSON file, `gen:<seed>` (a generated market), or nothing for the default market */
  scenario?: Scenario | object | string;
  seed?: number;
  /** fault injection per emulator */
  faults?: Partial<Record<VendorName, Partial<FaultSpec>>>;
  /** vendors to start (default: all) */
  vendors?: VendorName[];
  /** each emulator's port on 127.0.0.1 (default 0: any free port) */
  ports?: Partial<Record<VendorName, number>>;
  /** a live market: it starts warmupDays simulated days before now and moves with the wall clock */
  live?: LiveOptions;
  /**
   * false: the Google Ads emulator treats its developer token as one Google has not allow-listed for
   * Customer Match / click-conversion uploads (CUSTOMER_NOT_ALLOWLISTED_FOR_THIS_FEATURE), as for a
   * new adopter; the Data Manager API path still works (default true)
   */
  googleAdsUploadsAllowlisted?: boolean;
  /**
   * false: the Salesforce org has no Task.revloop_key__c, the custom field that carries revloop's
   * idempotency key on a Task (create_tasks then falls back to a marker in Description). An org
   * set up by the connector's install instructions has it, so the sandbox does too (default true).
   */
  salesforceTaskKeyField?: boolean;
}

/** a live sandbox's time: its scale and start (docs/live.md) */
export interface LiveSandbox extends LivePlan {
  /** the emulators' clock: the wall clock, held at the end of the day the market simulates next */
  now(): number;
  /** false once stopped (or once a day's simulation failed) */
  readonly running: boolean;
}

export interface Sandbox {
  market: Market;
  scenario: Scenario;
  hubspot?: HubSpotEmulator;
  salesforce?: SalesforceEmulator;
  linkedin?: LinkedInEmulator;
  googleAds?: GoogleAdsEmulator;
  openai?: OpenAIEmulator;
  /** values a config can reference as `{ $sandbox: 'hubspot.url' }` */
  refs: Record<string, string>;
  /** present when started with `live` */
  live?: LiveSandbox;
  /** simulate the next day; the emulators see its events (a live sandbox refuses: its days follow the wall clock) */
  advanceDay(): void;
  stop(): Promise<void>;
}

export const defaultScenarioPath = new URL('../scenarios/default.json', import.meta.url);
export const smallScenarioPath = new URL('../scenarios/small.json', import.meta.url);

function resolveScenario(input: SandboxOptions['scenario'], seed?: number): Scenario {
  const scenario = typeof input === 'string' ? loadScenarioSpec(input) : loadScenario(input === undefined ? readFileSync(defaultScenarioPath, 'utf8') : input);
  return seed === undefined ? scenario : { ...scenario, seed };
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const scenario = resolveScenario(options.scenario, options.seed);
  const plan = options.live ? planLive(options.live) : undefined;
  const market = createMarket(scenario, plan ? { msPerDay: plan.msPerDay, startMs: plan.startMs } : {});
  const now = plan ? liveEmulatorClock(market) : () => market.now();
  const hourOf = market.clock.hourOf;
  const ports = options.ports ?? {};
  const onTreatment = (t: Parameters<Market['treat']>[0]) => void market.treat(t);
  const want = new Set<VendorName>(options.vendors ?? ['hubspot', 'salesforce', 'linkedin', 'googleAds', 'openai']);
  // the scenario's faults, overridden per emulator by the caller's
  const f: SandboxOptions['faults'] = { ...scenario.faults };
  for (const [k, v] of Object.entries(options.faults ?? {})) f[k as VendorName] = { ...f[k as VendorName], ...v };
  const seed = scenario.seed;
  // the CRMs see the same companies and people with realistic differences (docs/scenario.md)
  const noise = identityNoiseFor(scenario);
  let driver: LiveDriver | undefined;
  const sandbox: Sandbox = {
    market,
    scenario,
    refs: {},
    advanceDay: () => {
      if (plan) throw new Error('a live sandbox advances with the wall clock: advanceDay() is for a sandbox started without `live`');
      market.advanceDay();
    },
    async stop() {
      driver?.stop();
      await Promise.all([sandbox.hubspot, sandbox.salesforce, sandbox.linkedin, sandbox.googleAds, sandbox.openai].map((e) => e?.stop()));
    },
  };
  try {
    if (want.has('hubspot')) {
      const e = (sandbox.hubspot = await startHubSpotEmulator({ now, onTreatment, seed, faults: f.hubspot, ...(ports.hubspot !== undefined ? { port: ports.hubspot } : {}) }));
      market.subscribe(noise ? withIdentityNoise('hubspot', e.state, noise) : e.state);
      Object.assign(sandbox.refs, { 'hubspot.url': e.url, 'hubspot.token': 'pat-na1-revloop-sandbox' });
    }
    if (want.has('salesforce')) {
      const e = (sandbox.salesforce = await startSalesforceEmulator({ now, hourOf, onTreatment, seed, faults: f.salesforce, port: ports.salesforce }));
      if (options.salesforceTaskKeyField !== false) e.state.addCustomField('Task', { name: 'revloop_key__c', type: 'string', label: 'revloop key' });
      market.subscribe(noise ? withIdentityNoise('salesforce', e.state, noise) : e.state);
      Object.assign(sandbox.refs, {
        'salesforce.url': e.url,
        'salesforce.accessToken': e.accessToken,
        'salesforce.refreshToken': e.refreshToken,
        'salesforce.clientId': e.credentials.clientId,
        'salesforce.clientSecret': e.credentials.clientSecret,
      });
    }
    if (want.has('linkedin')) {
      const e = (sandbox.linkedin = await startLinkedInEmulator({ now, onTreatment, seed, faults: f.linkedin, port: ports.linkedin }));
      market.subscribe(e.state);
      Object.assign(sandbox.refs, { 'linkedin.adAccountId': String(e.state.adAccount.id), 'linkedin.url': e.url, 'linkedin.accessToken': e.accessToken, 'linkedin.refreshToken': e.refreshToken, 'linkedin.clientId': e.clientId, 'linkedin.clientSecret': e.clientSecret });
    }
    if (want.has('googleAds')) {
      const e = (sandbox.googleAds = await startGoogleAdsEmulator({ now, onTreatment, seed, faults: f.googleAds, ...(options.googleAdsUploadsAllowlisted === false ? { uploadAllowlist: [] } : {}), ...(ports.googleAds !== undefined ? { port: ports.googleAds } : {}) }));
      market.subscribe(e.state);
      Object.assign(sandbox.refs, { 'googleAds.endpoint': e.url, 'googleAds.customerId': e.customerId, 'googleAds.developerToken': e.developerToken, 'googleAds.dataManagerEndpoint': e.dataManagerUrl });
    }
    if (want.has('openai')) {
      const e = (sandbox.openai = await startOpenAIEmulator({ now, seed, faults: f.openai, labelOracle: labelOracleFor(market), port: ports.openai }));
      Object.assign(sandbox.refs, { 'openai.baseURL': `${e.url}/v1`, 'openai.apiKey': e.apiKey });
    }
    if (plan) {
      const d = (driver = driveLive(market, plan, options.live));
      sandbox.live = { ...plan, now, get running() { return d.running; } };
    }
  } catch (error) {
    await sandbox.stop();
    throw error;
  }
  return sandbox;
}

// Live mode and the market's time scale: the default scale changes nothing (figures recorded from
// the code before the scale existed); a short day moves every timestamp but not the simulation;
// a live sandbox advances on its own, never serves a timestamp later than the wall clock (checked
// over HTTP on the HubSpot emulator), and stop() stops it.
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createMarket,
  createSimClock,
  DAY_MS,
  hubspotPersonaNames,
  rulesBaselinePolicy,
  serveConfigYaml,
  serveConnectorsFor,
  smallScenarioPath,
  startSalesforceEmulator,
  startSandbox,
  type MarketEvent,
  type MarketOptions,
  type Sandbox,
  type SimSignal,
  type SimTreatment,
} from '../src/index.js';
import { scenarioFile, smallScenario } from './market/helpers.js';

/** sha256 of every event a run emits, and its stats */
function fingerprint(options?: MarketOptions) {
  const market = createMarket(smallScenario({ seed: 11, days: 30 }), options);
  const hash = createHash('sha256');
  market.subscribe({ apply: (e: MarketEvent) => void hash.update(JSON.stringify(e)) });
  market.runUntil(29);
  return { events: hash.digest('hex'), stats: market.stats() };
}

describe('the time scale', () => {
  it('by default (or at 86,400,000 ms a day) leaves a seeded run exactly as before the scale existed', () => {
    // recorded from the code before msPerDay was added (small scenario, seed 11, 30 days)
    const before = { events: '0ed3cf5748316f25554d563f4dd9e158d71c005c047edd11ca92bc98f760b5e5', signals: 5506, opportunitiesCreated: 23, mqls: 63, merges: 18, deletions: 6, adConversions: 29 };
    for (const run of [fingerprint(), fingerprint({ msPerDay: DAY_MS })]) {
      expect(run.events).toBe(before.events);
      expect(run.stats).toMatchObject({ signals: before.signals, opportunitiesCreated: before.opportunitiesCreated, mqls: before.mqls, merges: before.merges, deletions: before.deletions, adConversions: before.adConversions });
    }
  });

  it('leaves a run with treatments (responses 20 simulated minutes after the send hour) as before', () => {
    // the rules baseline on the default scenario, 20 days at 50 actions a day: recorded before the change
    const market = createMarket(scenarioFile('default'));
    const hash = createHash('sha256');
    let signals: SimSignal[] = [];
    market.subscribe({ apply: (e: MarketEvent) => { hash.update(JSON.stringify(e)); if (e.kind === 'signal') signals.push(e.signal); } });
    const policy = rulesBaselinePolicy();
    for (let d = 0; d < 20; d++) {
      signals = [];
      market.advanceDay();
      for (const t of policy({ market, day: d, signals, budget: 50 }).slice(0, 50)) market.treat(t);
    }
    expect(hash.digest('hex')).toBe('e80ff18e7cedbc573d0e8275b21c19e649cd6cbcc6f86f7f28d7b2337244998a');
    expect(market.stats()).toMatchObject({ signals: 27617, mqls: 84, opportunitiesCreated: 8, treatments: { email: 841 } });
  });

  it('maps days, hours and minutes onto a short day and back', () => {
    const clock = createSimClock(1_000_000, 240_000); // an hour is 10 s
    expect(clock.at(2, 15, 30)).toBe(1_000_000 + 480_000 + 155_000);
    expect(clock.dayOf(clock.at(2, 15, 30))).toBe(2);
    for (let h = 0; h < 24; h++) expect(clock.hourOf(clock.at(5, h, 59))).toBe(h);
    expect(clock.date(0)).toBe(clock.date(100)); // 100 short days on one calendar date
    expect(() => createSimClock(0, 50)).toThrow(/msPerDay/);
    expect(() => createSimClock(0, DAY_MS + 1)).toThrow(/msPerDay/);
  });

  it('moves only timestamps: a short day simulates the same market, and sums its ad days per calendar date', () => {
    const startMs = Date.parse('2025-01-06T00:00:00Z');
    const scenario = smallScenario({ seed: 11, days: 30 });
    const normal = createMarket(scenario);
    normal.subscribe({ apply: () => {} });
    const short = createMarket(scenario, { msPerDay: 1000, startMs });
    const adDays = new Map<string, { costMicros: number }>();
    let latest = 0;
    short.subscribe({
      apply: (e: MarketEvent) => {
        if (e.kind === 'ad_day') adDays.set(`${e.day.campaignId}|${e.day.date}`, e.day);
        if (e.kind === 'signal') latest = Math.max(latest, e.signal.occurredAt);
      },
    });
    normal.runUntil(29);
    short.runUntil(29);
    expect(short.stats()).toEqual(normal.stats());
    expect(latest).toBeLessThan(startMs + 30 * 1000);
    // 30 days on one date: each campaign's one row holds the whole spend (not only the last day's)
    expect(new Set([...adDays.keys()].map((k) => k.split('|')[1])).size).toBe(1);
    const spend = [...adDays.values()].reduce((s, d) => s + d.costMicros, 0) / 1e6;
    const stats = short.stats();
    expect(spend).toBeCloseTo(stats.adSpend.linkedin + stats.adSpend.google, 0);
  });

  it('reads a Salesforce write\'s send hour on the market\'s day, not the UTC clock', async () => {
    const market = createMarket(smallScenario({ seed: 11 }), { msPerDay: 240_000, startMs: Date.parse('2025-01-06T00:00:00Z') });
    let at = market.clock.at(1, 15, 30); // 00:06:35 UTC, 15:30 on the market's day 1
    const seen: SimTreatment[] = [];
    const sf = await startSalesforceEmulator({ now: () => at, hourOf: market.clock.hourOf, onTreatment: (t) => void seen.push(t) });
    try {
      market.subscribe(sf.state);
      market.advanceDay();
      const contact = [...sf.state.all('Contact')][0]!;
      expect(sf.state.create('Task', { WhoId: contact.id, Subject: 'call' }).ok).toBe(true);
      at = market.clock.at(1, 23, 59);
      expect(sf.state.create('Task', { WhoId: contact.id, Subject: 'call again' }).ok).toBe(true);
      expect(seen.map((t) => [t.channel, t.sendHour])).toEqual([['sales_task', 15], ['sales_task', 23]]);
    } finally {
      await sf.stop();
    }
  });
});

const token = 'pat-na1-revloop-sandbox';
async function hubspot(sandbox: Sandbox, path: string, init: RequestInit = {}): Promise<{ body: any; receivedAt: number }> {
  const res = await fetch(`${sandbox.refs['hubspot.url']}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers } });
  const receivedAt = Date.now();
  expect(res.status, `${path}: ${res.status}`).toBeLessThan(300);
  return { body: await res.json(), receivedAt };
}

/** every event timestamp HubSpot serves for contacts, deals and web events, each with when it was received */
async function servedTimes(sandbox: Sandbox): Promise<{ at: number; receivedAt: number }[]> {
  const times: { at: number; receivedAt: number }[] = [];
  const ids: Record<string, string[]> = { contacts: [], companies: [], deals: [] };
  for (const type of ['contacts', 'companies', 'deals']) {
    let after: string | undefined;
    do {
      // (an open deal's closedate is a forecast: it may lie ahead, as in a real CRM)
      const { body, receivedAt } = await hubspot(sandbox, `/crm/v3/objects/${type}?limit=100&properties=createdate,lastmodifieddate,hs_lastmodifieddate${after ? `&after=${after}` : ''}`);
      for (const r of body.results) {
        ids[type]!.push(r.id);
        if (type !== 'companies') times.push({ at: Date.parse(r.createdAt), receivedAt }, { at: Date.parse(r.updatedAt), receivedAt });
      }
      after = body.paging?.next?.after;
    } while (after);
  }
  // web events are served per record (objectType + objectId), paged by the opaque paging.next.after
  for (const [objectType, type] of [['contact', 'contacts'], ['company', 'companies']] as const) {
    for (const id of ids[type]!) {
      let after: string | undefined;
      do {
        const { body, receivedAt } = await hubspot(sandbox, `/events/v3/events?objectType=${objectType}&objectId=${id}&limit=100${after ? `&after=${encodeURIComponent(after)}` : ''}`);
        for (const e of body.results) times.push({ at: Date.parse(e.occurredAt), receivedAt });
        after = body.paging?.next?.after;
      } while (after);
    }
  }
  return times;
}

describe('a live sandbox', () => {
  let sandbox: Sandbox | undefined;
  afterEach(async () => {
    await sandbox?.stop();
    sandbox = undefined;
  });

  it('advances on its own with the wall clock, never serving a timestamp later than it; stop() stops it', { timeout: 60_000 }, async () => {
    const msPerDay = 200;
    sandbox = await startSandbox({ scenario: fileURLToPath(smallScenarioPath), seed: 11, vendors: ['hubspot'], live: { msPerDay, warmupDays: 5 } });
    const live = sandbox.live!;
    expect(live).toMatchObject({ msPerDay, warmupDays: 5, running: true });
    expect(live.startMs).toBe(live.startedAt - 5 * msPerDay);
    expect(sandbox.market.clock).toMatchObject({ startMs: live.startMs, msPerDay });
    const first = sandbox.market.day;
    expect(first).toBeGreaterThanOrEqual(4); // the warm-up days, history for a consumer to read
    expect(() => sandbox!.advanceDay()).toThrow(/wall clock/);

    // a write while live: stamped on the wall clock (never past it), routed to the market
    const contact = (await hubspot(sandbox, '/crm/v3/objects/contacts?limit=1')).body.results[0];
    const treatments = () => sandbox!.market.stats().treatments.sales_task;
    const before = treatments();
    const marketNow = sandbox.market.now();
    const task = await hubspot(sandbox, '/crm/v3/objects/tasks', {
      method: 'POST',
      body: JSON.stringify({ properties: { hs_task_subject: 'Call about pricing' }, associations: [{ to: { id: contact.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 204 }] }] }),
    });
    expect(treatments()).toBe(before + 1);
    expect(Date.parse(task.body.createdAt)).toBeLessThanOrEqual(task.receivedAt);
    expect(Date.parse(task.body.createdAt)).toBeGreaterThanOrEqual(marketNow);

    const startedAt = live.startedAt;
    const sampled: number[] = [];
    for (let k = 0; k < 8; k++) {
      await sleep(250);
      expect(sandbox.market.now()).toBeLessThanOrEqual(Date.now());
      expect(live.now()).toBeLessThanOrEqual(Date.now());
      sampled.push(sandbox.market.day);
    }
    expect(sandbox.market.day).toBeGreaterThanOrEqual(first + 5); // 2 s at 200 ms a day: ~10 days
    expect(sampled).toEqual([...sampled].sort((a, b) => a - b));

    const times = await servedTimes(sandbox);
    expect(times.length).toBeGreaterThan(1000);
    const late = times.filter((t) => t.at > t.receivedAt);
    expect(late).toEqual([]);
    // and the market moved in wall time: events from after the start were served
    expect(times.some((t) => t.at > startedAt + 1000)).toBe(true);

    await sandbox.stop();
    expect(sandbox.live!.running).toBe(false);
    const stoppedAt = sandbox.market.day;
    await sleep(4 * msPerDay);
    expect(sandbox.market.day).toBe(stoppedAt);
  });

  it('rejects a time scale or warm-up it cannot run', async () => {
    await expect(startSandbox({ vendors: [], live: { msPerDay: 10 } })).rejects.toThrow(/msPerDay/);
    await expect(startSandbox({ vendors: [], live: { warmupDays: 0 } })).rejects.toThrow(/warmupDays/);
  });

  it('takes fixed ports', { timeout: 30_000 }, async () => {
    const probe = await startSandbox({ scenario: fileURLToPath(smallScenarioPath), vendors: ['hubspot'] });
    const free = Number(new URL(probe.refs['hubspot.url']!).port);
    await probe.stop();
    sandbox = await startSandbox({ scenario: fileURLToPath(smallScenarioPath), vendors: ['hubspot', 'salesforce'], ports: { hubspot: free } });
    expect(sandbox.refs['hubspot.url']).toBe(`http://127.0.0.1:${free}`);
  });
});

describe('the config for a separate revloop serve', () => {
  const refs = {
    'hubspot.url': 'http://127.0.0.1:47100',
    'hubspot.token': 'pat-na1-revloop-sandbox',
    'salesforce.url': 'http://127.0.0.1:47101',
    'salesforce.clientId': 'cid',
    'salesforce.clientSecret': 'secret',
    'salesforce.refreshToken': 'rt',
    'googleAds.endpoint': '127.0.0.1:47103',
    'googleAds.customerId': '1234567890',
    'googleAds.developerToken': 'dev',
  };

  it('points each connector at its emulator, names HubSpot\'s personas and widens re-reads for a short day', () => {
    const c = serveConnectorsFor(refs, 30_000);
    expect(Object.keys(c)).toEqual(['hubspot', 'salesforce', 'google']); // no linkedin refs, no linkedin connector
    expect(c.hubspot).toMatchObject({ plugin: '@revloop/connector-hubspot', baseUrl: refs['hubspot.url'], personas: { persona_1: 'economic_buyer', persona_2: 'champion', persona_3: 'technical_evaluator', persona_4: 'end_user' }, lookbackMs: 300_000 });
    expect(c.salesforce).toMatchObject({ instanceUrl: refs['salesforce.url'], loginUrl: refs['salesforce.url'], lookbackMs: 90_000 });
    expect(c.google).toMatchObject({ apiEndpoint: '127.0.0.1:47103', insecure: true });
    expect(serveConnectorsFor(refs, 600_000).hubspot!.lookbackMs).toBe(1_800_000);
    expect(serveConnectorsFor(refs).salesforce!.lookbackMs).toBeUndefined(); // a frozen market needs none
    expect(hubspotPersonaNames).toEqual(c.hubspot!.personas);
  });

  it('writes it as YAML', () => {
    const yaml = serveConfigYaml(refs, 30_000, ['hello']);
    expect(yaml.split('\n').slice(0, 5)).toEqual(['# hello', expect.stringMatching(/^# connectors/), 'connectors:', '  hubspot:', '    plugin: "@revloop/connector-hubspot"']);
    expect(yaml).toContain('    personas:\n      persona_1: "economic_buyer"\n');
    expect(yaml).toContain('    insecure: true\n');
    expect(yaml).toContain('    lookbackMs: 90000\n');
  });
});

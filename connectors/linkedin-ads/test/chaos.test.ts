// Issue #27's chaos suite on every LinkedIn Ads action: SIGKILL mid-batch, a 5xx or a dropped
// connection after LinkedIn applied the write, and revloop's action record lost; counted in the
// emulator. Effects: DMP segments per name (one audience per purpose) and, after its last sync, an
// audience holding exactly that sync's people; conversions LinkedIn stored per eventId.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runAction } from '@revloop/core';
import { describeActionChaos, okRecordKeys, type ChaosActionCase, type ChaosWorld } from '@revloop/plugin-kit';
import { linkedInAdsConnector } from '../src/index.js';
import type { SyncAudienceResult } from '../src/actions/sync-audience.js';
import { START, startHarness, type Harness } from './helpers.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const isWrite = (method: string, path: string) => method !== 'GET' && !path.includes('oauth');
const sha = (email: string) => createHash('sha256').update(email.trim().toLowerCase()).digest('hex');

async function linkedInWorld<Item>(build: (h: Harness) => { items: Item[]; effects(): Map<string, number> }): Promise<ChaosWorld<Item>> {
  const h = await startHarness();
  const { items, effects } = build(h);
  return {
    items,
    effects,
    endpoints: { linkedin: { url: h.emu.url, isWrite } },
    config: (urls) => ({
      apiBaseUrl: urls.linkedin,
      oauthBaseUrl: urls.linkedin,
      clientId: h.emu.clientId,
      clientSecret: h.emu.clientSecret,
      refreshToken: h.emu.refreshToken,
      accessToken: h.emu.accessToken,
      adAccountId: String(h.emu.state.adAccount.id),
      conversionRule: 'urn:lla:llaPartnerConversion:4242',
      startDate: '2024-02-01',
    }),
    clock: h.clock,
    close: () => h.stop(),
  };
}

// 4 audiences, each synced 3 times with a changed membership (one execution per sync)
type Sync = { segmentName: string; emails: string[]; requestId: string; last: boolean };
const AUDIENCES = 4;
const SYNCS = 3;
const syncAudience: ChaosActionCase<Sync> = {
  action: 'sync-audience',
  batchSize: 1,
  world: () =>
    linkedInWorld((h) => {
      const items: Sync[] = [];
      for (let s = 0; s < SYNCS; s++) {
        for (let a = 0; a < AUDIENCES; a++) items.push({ segmentName: `revloop intent ${a}`, emails: [`p${a}-${s}@x.test`, `p${a}-${s + 1}@x.test`], requestId: `decision-${a}-${s}`, last: s === SYNCS - 1 });
      }
      return {
        items,
        effects() {
          const perKey = new Map<string, number>();
          for (const segment of h.emu.state.segments.values()) perKey.set(`segment:${segment.name}`, (perKey.get(`segment:${segment.name}`) ?? 0) + 1);
          for (const last of items.filter((i) => i.last)) {
            const segments = [...h.emu.state.segments.values()].filter((s) => s.name === last.segmentName);
            const exact = segments.length === 1 && [...segments[0]!.members].sort().join() === last.emails.map(sha).sort().join();
            perKey.set(`members:${last.segmentName}`, exact ? 1 : 0);
          }
          return perKey;
        },
      };
    }),
  keysOf: (s) => [`segment:${s.segmentName}`, ...(s.last ? [`members:${s.segmentName}`] : [])],
  input: ([s]) => ({ segmentName: s!.segmentName, emails: s!.emails, requestId: s!.requestId }),
  // a sync reported ok names its segment: every key of the sync is reported once the call resolved
  okKeys: (result, [s]) => ((result as { segmentId?: string }).segmentId ? [`segment:${s!.segmentName}`, ...(s!.last ? [`members:${s!.segmentName}`] : [])] : []),
};

type Conversion = { eventId: string; email: string };
const uploadConversions: ChaosActionCase<Conversion> = {
  action: 'upload-conversions',
  world: () =>
    linkedInWorld((h) => ({
      items: Array.from({ length: 16 }, (_, i) => ({ eventId: `won-${i}`, email: `buyer${i}@x.test` })),
      effects() {
        const perKey = new Map<string, number>();
        for (const c of h.emu.state.receivedConversions()) if (c.eventId) perKey.set(c.eventId, (perKey.get(c.eventId) ?? 0) + 1);
        return perKey;
      },
    })),
  keysOf: (c) => [c.eventId],
  input: (events) => ({ events: events.map((e) => ({ eventId: e.eventId, kind: 'closed_won', occurredAt: START - 86_400_000, valueMicros: 1_000_000_000, currencyCode: 'USD', email: e.email })) }),
  okKeys: okRecordKeys,
};

describeActionChaos({
  connector: linkedInAdsConnector,
  module: join(repo, 'connectors/linkedin-ads/src/index.ts'),
  exportName: 'linkedInAdsConnector',
  name: 'linkedin',
  clockStart: START,
  execArgv: ['--conditions=revloop-source', '--import', 'tsx', '--import', join(repo, 'test/setup/network-guard-child.mjs')],
  actions: [syncAudience, uploadConversions],
});

describe('linkedin: two runtimes syncing the same new audience at the same moment (issue #27)', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });
  const names = Array.from({ length: 5 }, (_, i) => `revloop concurrent ${i}`);
  const emails = ['a@x.test', 'b@x.test'];

  it('sharing one store: one DMP segment per name (the create is claimed in the store), both runs report it', async () => {
    h = await startHarness();
    const other = await h.newRuntime({}, true);
    const runs = await Promise.all(
      [h.runtime, other].flatMap((runtime, r) => names.map((segmentName) => runAction<SyncAudienceResult>(runtime, 'linkedin', 'sync-audience', { segmentName, emails, requestId: `run-${r}-${segmentName}` }))),
    );
    const segments = [...h.emu.state.segments.values()];
    console.log(`[issue-27] linkedin sync-audience, two runtimes on one store at once: intended ${names.length} segments, segments ${segments.length}`);
    expect(segments.length).toBe(names.length);
    for (const [i, name] of names.entries()) {
      const [a, b] = [runs[i]!, runs[names.length + i]!];
      expect(a.result.segmentId).toBe(b.result.segmentId);
      expect(segments.find((s) => String(s.id) === a.result.segmentId)?.name).toBe(name);
      expect([...h.emu.state.segmentMembers(Number(a.result.segmentId))].sort()).toEqual(emails.map(sha).sort());
    }
  });

  it('on two stores: both runs converge on the oldest segment of the name, which holds the members', async () => {
    h = await startHarness();
    const other = await h.newRuntime();
    const runs = await Promise.all([h.runtime, other].map((runtime, r) => runAction<SyncAudienceResult>(runtime, 'linkedin', 'sync-audience', { segmentName: names[0]!, emails, requestId: `store-${r}` })));
    const segments = [...h.emu.state.segments.values()].filter((s) => s.name === names[0]).sort((a, b) => a.id - b.id);
    console.log(`[issue-27] linkedin sync-audience, two runtimes on two stores at once: segments ${segments.length} (the newer stays empty when both created)`);
    expect(runs[0]!.result.segmentId).toBe(String(segments[0]!.id));
    expect(runs[1]!.result.segmentId).toBe(String(segments[0]!.id));
    expect([...h.emu.state.segmentMembers(segments[0]!.id)].sort()).toEqual(emails.map(sha).sort());
    for (const extra of segments.slice(1)) expect(h.emu.state.segmentMembers(extra.id)).toEqual([]);
  });
});

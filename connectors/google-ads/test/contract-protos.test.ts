// Contract test: the Google Ads emulator's answers to every call the connector makes, checked
// against the v24 protos google-ads-node ships (not against the emulator's own loader): the
// GoogleAdsRow fields the streams read, the UploadClickConversions and OfflineUserDataJob
// responses, mutate responses, and the GoogleAdsFailure trailer of a refused call. grpc-js drops
// an undeclared field without a word, so a drifting emulator would otherwise go unnoticed.
import { afterEach, describe, expect, it } from 'vitest';
import { checkConnectors, runAction, syncStream } from '@revloop/core';
import { GOOGLE_ADS_PROTO_DIR, GOOGLE_COMMON_PROTO_DIR, type GoogleAdsTappedAnswer } from '@revloop/sandbox';
import { GOOGLE_ADS_API_VERSION } from '../src/index.js';
import { adDay, campaign, click, START, startHarness, type Harness } from './helpers.js';
import { loadAdsRoot, violations, type PbRoot } from './proto-contract.js';

const V = GOOGLE_ADS_API_VERSION;
const SERVICES = ['google_ads_service', 'conversion_upload_service', 'user_list_service', 'offline_user_data_job_service'];

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

let root: PbRoot | undefined;
function protos(): PbRoot {
  root ??= loadAdsRoot([GOOGLE_ADS_PROTO_DIR, GOOGLE_COMMON_PROTO_DIR], [
    ...SERVICES.map((s) => `google/ads/googleads/${V}/services/${s}.proto`),
    `google/ads/googleads/${V}/errors/errors.proto`,
  ]);
  return root;
}

/** the response message type of a service method, from the service proto */
function responseType(service: string, method: string) {
  const svc = (protos() as unknown as { lookupService(n: string): { methods: Record<string, { resolvedResponseType: unknown }> } }).lookupService(`google.ads.googleads.${V}.services.${service}`);
  const m = svc.methods[method];
  if (!m) throw new Error(`${service} has no method ${method} in the ${V} protos`);
  return m.resolvedResponseType as ReturnType<PbRoot['lookupType']>;
}

describe(`Google Ads emulator vs the ${V} protos`, () => {
  it('every answer to the calls the connector makes (check, three streams, both upload actions, a refusal) is a valid proto message', { timeout: 120_000 }, async () => {
    const answers: GoogleAdsTappedAnswer[] = [];
    h = await startHarness({ emulator: { onResponse: (a) => answers.push(a), jobProcessing: { polls: 2, ms: 0 } }, connector: { jobPollIntervalMs: 1 } });
    h.emu.state.apply(campaign('cmp_gg_001', 'Brand'));
    h.emu.state.apply(adDay('cmp_gg_001', '2024-02-20', 3));
    h.emu.state.apply(click('gclid_contract1', 'cmp_gg_001', '2024-02-29', 'acc_1', 'con_1'));

    expect((await checkConnectors(h.runtime))[0]!.ok).toBe(true);
    for (const stream of ['campaigns', 'campaign-metrics', 'click-views']) expect((await syncStream(h.runtime, 'google', stream)).status).toBe('succeeded');
    await runAction(h.runtime, 'google', 'upload-click-conversions', {
      conversions: [
        { key: 'ok', gclid: 'gclid_contract1', event: 'closed_won', occurredAt: START - 3_600_000, valueMicros: 5_000_000 },
        { key: 'bad', gclid: 'gclid_unknown', event: 'closed_won', occurredAt: START - 3_600_000 },
      ],
    });
    await runAction(h.runtime, 'google', 'customer-match-sync', { listName: 'Contract', emails: ['a@b.test', 'c@d.test'], syncId: 's1' });
    h.emu.uploadAllowlist.clear(); // a refusal with its GoogleAdsFailure trailer
    await runAction(h.runtime, 'google', 'customer-match-sync', { listName: 'Contract', emails: ['e@f.test'], syncId: 's2' }).catch(() => undefined);

    const methods = new Set(answers.map((a) => `${a.service}.${a.method}`));
    // the calls the connector makes, each answered at least once
    for (const m of ['GoogleAdsService.SearchStream', 'ConversionUploadService.UploadClickConversions', 'UserListService.MutateUserLists', 'OfflineUserDataJobService.CreateOfflineUserDataJob', 'OfflineUserDataJobService.AddOfflineUserDataJobOperations', 'OfflineUserDataJobService.RunOfflineUserDataJob']) {
      expect(methods, m).toContain(m);
    }
    const problems: string[] = [];
    let rows = 0;
    for (const a of answers) {
      if (!a.response) continue;
      const type = responseType(a.service, a.method);
      problems.push(...violations(type, a.response, `${a.service}.${a.method}`));
      rows += ((a.response as { results?: unknown[] }).results ?? []).length;
    }
    expect(problems).toEqual([]);
    expect(rows).toBeGreaterThan(3); // GoogleAdsRows were checked, not only empty messages

    // the failure trailer decodes as a GoogleAdsFailure of these protos, with a known error code
    const failure = protos().lookupType(`google.ads.googleads.${V}.errors.GoogleAdsFailure`);
    const trailers = answers.flatMap((a) => a.errorMetadata?.get(`google.ads.googleads.${V}.errors.googleadsfailure-bin`) ?? []);
    expect(trailers.length).toBeGreaterThan(0);
    for (const bytes of trailers) {
      const decoded = failure.toObject(failure.decode(bytes as Uint8Array), { enums: String, longs: String });
      const errors = decoded.errors as { error_code?: Record<string, string>; message?: string }[];
      expect(errors.length).toBeGreaterThan(0);
      for (const e of errors) {
        expect(Object.keys(e.error_code ?? {})).toHaveLength(1); // one oneof member: the code is known to the protos
        expect(e.message).toBeTruthy();
      }
      expect(problems.concat(violations(failure, decoded, 'GoogleAdsFailure'))).toEqual([]);
    }
    expect(JSON.stringify(trailers.map((b) => failure.toObject(failure.decode(b as Uint8Array), { enums: String })))).toContain('CUSTOMER_NOT_ALLOWLISTED_FOR_THIS_FEATURE');
  });

  it('the checker itself refuses what the protos do not declare (an unknown field, a wrong enum, a wrong scalar)', () => {
    const row = protos().lookupType(`google.ads.googleads.${V}.services.GoogleAdsRow`);
    expect(violations(row, { campaign: { id: '1', status: 'ENABLED' } })).toEqual([]);
    expect(violations(row, { campaign: { id: '1', budget_amount: 3 } })).toEqual(['GoogleAdsRow.campaign.budget_amount: not a field of google.ads.googleads.v24.resources.Campaign']);
    expect(violations(row, { campaign: { status: 'RUNNING' } })[0]).toContain('is not a value of');
    expect(violations(row, { metrics: { clicks: 'many' } })[0]).toContain('is not a int64');
  });
});

// Off-policy evaluation checked against the simulator's truth: the closed loop runs on a small
// sandbox market; every treatment's hidden answer chance is read for each channel at the moment
// it is sent (same contact, topic, hour, fatigue); a candidate policy's true answer rate on the
// logged contexts is the mean of those chances for the channel it would have picked. The doubly
// robust interval, estimated from the decision log alone, must hold that truth.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluateLoggedChoices, isRevloopError, MIN_OFF_POLICY_DECISIONS, offPolicyCandidates, readLoggedWindow, replaySettingsCandidate, type ChannelChances, type LoggedWindow, type OffPolicyCandidate, type OffPolicyReport } from '@revloop/core';
import { CHANNELS, defaultScenarioPath, loadScenario, type Scenario, type SimMarket, type SimTreatment, type TreatmentChannel } from '@revloop/sandbox';
import { defaultModels, startClosedLoop } from '@revloop/evaluation';
import { CLI_TEST_TIMEOUT_MS, runCli } from './cli-child.js';
import { tempDir } from './helpers.js';

const DAYS = 16;
const ENGAGEMENT_DAYS = 1;
const fixedChannels = ['email', 'linkedin', 'google', 'sales_task'] as const;

/**
 * The default market, smaller, with no answer signal that a treatment did not cause: no organic
 * email clicks, ad clicks or form fills and no ad campaigns, so a logged answer is exactly the
 * hidden response draw whose chance is the truth (otherwise background clicks would add to the
 * logged rate of some channels and not to the truth).
 */
function market(seed: number): Scenario {
  const base = loadScenario(readFileSync(defaultScenarioPath, 'utf8'));
  const quiet = { base: 0, perIntent: 0, points: 0 };
  return {
    ...base,
    seed,
    days: DAYS + 1,
    accounts: { ...base.accounts, count: 300 },
    signals: { ...base.signals, email_click: quiet, ad_click: quiet, form_fill: quiet },
    campaigns: { linkedin: { ...base.campaigns.linkedin, count: 0 }, google: { ...base.campaigns.google, count: 0 } },
  };
}

interface LoopRun {
  dir: string;
  dbFile: string;
  window: LoggedWindow;
  /** hidden answer chance per channel of each logged choice (by decision id) */
  truth: Map<string, Record<TreatmentChannel, number>>;
  /** the channel model replayed over the window with these settings (JSON): its chances per choice */
  replayed: Record<string, (ChannelChances | undefined)[]>;
}

/** settings replayed in every run: the model as configured, and one limited to email */
const REPLAYED = ['{}', '{"channels":["email"]}'];

const dirs: { cleanup(): void }[] = [];
afterAll(() => dirs.forEach((d) => d.cleanup()));

async function runLoop(seed: number): Promise<LoopRun> {
  const dir = tempDir('revloop-off-policy-');
  dirs.push(dir);
  const scenario = market(seed);
  // no daily cap (every decision is sent): a cap ranks decisions by the chosen channel's expected
  // answer, which would make which contexts get logged depend on the choice
  const loop = await startClosedLoop({ scenario, dir: dir.path, actionsPerDay: 1_000_000, models: defaultModels(scenario), reviewer: 'approve' });
  const m = loop.source.market as SimMarket;
  // the hidden chance of every channel for each treatment, read just before it is applied
  const chances = new Map<string, Record<TreatmentChannel, number>>();
  const treat = m.treat.bind(m);
  m.treat = (t: SimTreatment) => {
    const byChannel = Object.fromEntries(CHANNELS.map((c) => [c, m.probabilityOf({ ...t, channel: c }) ?? 0])) as Record<TreatmentChannel, number>;
    chances.set(`${t.accountId}|${m.now()}`, byChannel);
    return treat(t);
  };
  try {
    for (let d = 0; d < DAYS; d++) await loop.step();
    const runtime = loop.runtime;
    const window = await readLoggedWindow(runtime.store, { workflow: 'default', since: 0, until: Number.MAX_SAFE_INTEGER, engagementWindowDays: ENGAGEMENT_DAYS });
    // a decision is made at the market's now (the clock follows it); its account's market id from the identity map
    const ids = await runtime.store.db.selectFrom('external_ids').select(['entity_id', 'system_id']).where('system', '=', 'market').where('entity_type', '=', 'account').execute();
    const marketId = new Map(ids.map((r) => [r.entity_id, r.system_id]));
    const truth = new Map<string, Record<TreatmentChannel, number>>();
    for (const x of window.choices) {
      const c = chances.get(`${marketId.get(x.accountId)}|${x.at}`);
      if (c) truth.set(x.decisionId, c);
    }
    const replayed: Record<string, (ChannelChances | undefined)[]> = {};
    for (const settings of REPLAYED) replayed[settings] = await replaySettingsCandidate(runtime, 'default', JSON.parse(settings)).replay!(window.choices);
    return { dir: dir.path, dbFile: `${dir.path}/revloop.db`, window, truth, replayed };
  } finally {
    await loop.close();
  }
}

/** the candidate's true answer rate on the logged contexts: the mean hidden chance of the channel it picks */
function trueRate(run: LoopRun, candidate: OffPolicyCandidate): number {
  const picks = candidate.logged ? run.window.choices.map((x) => x.channel) : candidate.choose!(run.window.choices);
  let sum = 0;
  let n = 0;
  run.window.choices.forEach((x, i) => {
    const pick = picks[i];
    if (pick === undefined) return;
    sum += run.truth.get(x.decisionId)![pick];
    n++;
  });
  return sum / n;
}

function evaluate(run: LoopRun): OffPolicyReport {
  const candidates = ['logged', ...fixedChannels, 'rules', 'greedy', 'final-greedy'].map((n) => offPolicyCandidates[n]!);
  return evaluateLoggedChoices(run.window, { workflow: 'default', since: 0, until: Number.MAX_SAFE_INTEGER, engagementWindowDays: ENGAGEMENT_DAYS, candidates, resamples: 300, seed: 7 });
}

describe('off-policy evaluation against the simulator truth', () => {
  const runs: LoopRun[] = [];

  for (const seed of [3, 8]) {
    it(`seed ${seed}: the truth of every fixed channel lies inside its doubly robust interval`, async () => {
      const run = await runLoop(seed);
      runs.push(run);
      // every used choice was matched to the treatment the market received
      expect(run.window.choices.length).toBeGreaterThan(500);
      expect(run.truth.size).toBe(run.window.choices.length);
      const report = evaluate(run);
      const lines: string[] = [];
      for (const r of report.candidates) {
        const truth = trueRate(run, offPolicyCandidates[r.name]!);
        lines.push(`${r.name}: truth ${truth.toFixed(4)} DR ${r.dr.estimate.toFixed(4)} [${r.dr.low.toFixed(4)}, ${r.dr.high.toFixed(4)}] IPS ${r.ips.estimate.toFixed(4)} [${r.ips.low.toFixed(4)}, ${r.ips.high.toFixed(4)}] matches ${r.matches} ess ${r.effectiveSampleSize.toFixed(0)}`);
        if ((fixedChannels as readonly string[]).includes(r.name)) {
          expect(truth, lines.join('\n')).toBeGreaterThanOrEqual(r.dr.low);
          expect(truth, lines.join('\n')).toBeLessThanOrEqual(r.dr.high);
        }
      }
      console.log(`seed ${seed}, ${report.decisions} decisions:\n${lines.join('\n')}`);
      // the channels differ in truth, and the estimates tell the best fixed channel from the worst
      const truths = fixedChannels.map((c) => trueRate(run, offPolicyCandidates[c]!));
      const best = fixedChannels[truths.indexOf(Math.max(...truths))]!;
      const worst = fixedChannels[truths.indexOf(Math.min(...truths))]!;
      const dr = (name: string) => report.candidates.find((c) => c.name === name)!.dr.estimate;
      expect(dr(best)).toBeGreaterThan(dr(worst));
      // the logged policy's value is its logged answer rate, and that is close to its truth
      const logged = report.candidates.find((c) => c.name === 'logged')!;
      expect(trueRate(run, offPolicyCandidates.logged!)).toBeGreaterThanOrEqual(logged.dr.low);
      expect(trueRate(run, offPolicyCandidates.logged!)).toBeLessThanOrEqual(logged.dr.high);
    }, 120_000);
  }

  it('the channel model replayed with other settings: its doubly robust interval holds its truth; limited to email it is the email policy', async () => {
    const run = runs[0] ?? (await runLoop(3));
    const options = { workflow: 'default', since: 0, until: Number.MAX_SAFE_INTEGER, engagementWindowDays: ENGAGEMENT_DAYS, resamples: 300, seed: 7 };
    const asCandidate = (settings: string): OffPolicyCandidate => ({ name: `settings:${settings}`, description: settings, chances: run.replayed[settings]! });
    const [email, onlyEmail, replayed] = evaluateLoggedChoices(run.window, { ...options, candidates: [offPolicyCandidates.email!, asCandidate('{"channels":["email"]}'), asCandidate('{}')] }).candidates;
    expect(onlyEmail!.dr).toEqual(email!.dr);
    expect(onlyEmail!.ips).toEqual(email!.ips);
    // the replay's true answer rate: its chances × the hidden chance of each channel, over the choices it covers
    const chances = run.replayed['{}']!;
    let sum = 0;
    let n = 0;
    run.window.choices.forEach((x, i) => {
      const c = chances[i];
      if (!c) return;
      const truth = run.truth.get(x.decisionId)!;
      sum += CHANNELS.reduce((a, ch) => a + (c[ch] ?? 0) * truth[ch], 0);
      n++;
    });
    expect(n).toBe(run.window.choices.length);
    const truth = sum / n;
    const line = `replay {}: truth ${truth.toFixed(4)} DR ${replayed!.dr.estimate.toFixed(4)} [${replayed!.dr.low.toFixed(4)}, ${replayed!.dr.high.toFixed(4)}] ess ${replayed!.effectiveSampleSize.toFixed(0)}`;
    console.log(line);
    expect(truth, line).toBeGreaterThanOrEqual(replayed!.dr.low);
    expect(truth, line).toBeLessThanOrEqual(replayed!.dr.high);
    // the replay starts from the priors and learns: it is not the logged policy
    expect(chances.some((c, i) => Math.abs((c?.email ?? 0) - (run.window.choices[i]!.channelChances?.email ?? 0)) > 0.05)).toBe(true);
  }, 120_000);

  it('refuses a window whose decisions carry no propensity, and one with too few decisions', async () => {
    const run = runs[0] ?? (await runLoop(3));
    const stripped: LoggedWindow = { ...run.window, choices: [], withoutPropensity: run.window.channelChoices, modelsWithoutPropensity: ['local channel-ts@0'] };
    const options = { workflow: 'default', since: 0, until: 1e13, engagementWindowDays: ENGAGEMENT_DAYS, candidates: [offPolicyCandidates.email!] };
    const refusal = (w: LoggedWindow) => {
      try {
        evaluateLoggedChoices(w, options);
      } catch (e) {
        if (isRevloopError(e)) return e;
        throw e;
      }
      throw new Error('no refusal');
    };
    const none = refusal(stripped);
    expect(none.code).toBe('NO_PROPENSITY');
    expect(none.exitCode).toBe(2);
    expect(none.message).toContain(`none of the window's ${run.window.channelChoices} channel choices records its propensity`);
    const few = refusal({ ...run.window, choices: run.window.choices.slice(0, 12) });
    expect(few.code).toBe('TOO_FEW_DECISIONS');
    expect(few.message).toContain(`has 12 usable decisions`);
    expect(few.message).toContain(`at least ${MIN_OFF_POLICY_DECISIONS} are needed`);
  });

  it('revloop models evaluate prints the table, and refuses (exit 2) a log without propensities', async () => {
    const run = runs[0] ?? (await runLoop(3));
    const cli = (args: string[]) => runCli(run.dir, ['--store', run.dbFile, 'models', 'evaluate', ...args]);
    const table = cli(['--candidates', 'logged,email,greedy', '--resamples', '100']);
    expect(table.stderr).toBe('');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/candidate\s+IPS \[95%\]\s+DR \[95%\]/);
    expect(table.stdout).toMatch(/^email\s+\d+\.\d% \[\d+\.\d%, \d+\.\d%\]/m);
    expect(table.stdout).toMatch(/distinguishable|better than|worse than/);
    // the same decisions as the report read in-process (no other workflow, the whole log)
    expect(table.stdout).toContain(`estimated from ${run.window.choices.length} logged decisions`);

    // candidate settings of the channel model, replayed; settings it refuses, and no JSON, exit 2
    const settings = cli(['--candidates', 'logged', '--settings', '{"priorStrength":5}', '--resamples', '100']);
    expect(settings.stderr).toBe('');
    expect(settings.code).toBe(0);
    expect(settings.stdout).toMatch(/^settings:\{"priorStrength":5\}\s+\d+\.\d% \[/m);
    const misspelt = cli(['--settings', '{"priorStrenght":5}']);
    expect(misspelt.code).toBe(2);
    expect(misspelt.stderr).toContain('BAD_SETTINGS');
    expect(misspelt.stderr).toContain('priorStrenght');
    const notJson = cli(['--settings', 'priorStrength=5']);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain('--settings is not JSON');

    // the same log as a model without propensities would have left it
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(run.dbFile);
    db.prepare(`UPDATE decisions SET output = json_remove(output, '$.propensity') WHERE capability = 'predict/channel-time'`).run();
    db.close();
    const refused = cli([]);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('NO_PROPENSITY');
    expect(refused.stderr).toContain('records its propensity');
    expect(refused.stderr).toContain('fix:');
  }, CLI_TEST_TIMEOUT_MS);
});

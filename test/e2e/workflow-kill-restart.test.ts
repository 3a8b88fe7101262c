// Issue #27, done when: "a workflow run killed at random moments and restarted ends with exactly one
// vendor effect per executed decision (decisions table vs emulator state, row by row)".
//
// The sandbox's HubSpot, Salesforce, LinkedIn Ads and Google Ads emulators run in this process; a
// child process (workflow-kill-restart-child.ts) runs the production loop's cycle against them on a
// SQLite file (the e2e default workflow: emails and sales tasks into HubSpot — sales tasks into
// Salesforce on even seeds, see KILL_RESTART_SALESFORCE_TASKS — and audiences into LinkedIn Ads and
// Google Ads). This process SIGKILLs the child at seeded-random moments — right after the emulator
// applied one of its writes (before the answer leaves: the outcome is unknown to the child), as
// soon as executions are recorded in progress, or after a random time — and starts it again on the
// same file, until a cycle ends cleanly. Then every executed decision must have exactly one vendor
// effect (a market treatment the emulators emit for each applied write: a task, an email property
// write, an audience add), and every effect one executed decision.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { identityTruth, loadScenario, smallScenarioPath, startSandbox, type Sandbox } from '@revloop/sandbox';
import type { KillRestartJob } from './workflow-kill-restart-child.js';

const SEEDS = (process.env.KILL_RESTART_SEEDS ?? '1,2,3').split(',').map(Number);
/**
 * Even seeds send sales tasks to Salesforce (create_tasks, keyed by the sandbox org's
 * Task.revloop_key__c) instead of HubSpot; KILL_RESTART_SALESFORCE_TASKS=0 keeps them all in HubSpot.
 */
const salesTasksOf = (seed: number): 'hubspot' | 'salesforce' => (process.env.KILL_RESTART_SALESFORCE_TASKS !== '0' && seed % 2 === 0 ? 'salesforce' : 'hubspot');
/** the connectors the workflow executes into: their syncs must not fail (Salesforce's is reported) */
const EXECUTED_INTO = ['hubspot', 'linkedin', 'google'];
/** kills planned per seed (a child that ends before its kill was due ends the seed early) */
const KILLS = Number(process.env.KILL_RESTART_KILLS ?? 4);
const ACTIONS_PER_RUN = 30;
const repo = resolve(import.meta.dirname, '../..');
const nodeArgs = ['--conditions=revloop-source', '--import', pathToFileURL(join(repo, 'node_modules/tsx/dist/loader.mjs')).href, '--import', join(repo, 'test/setup/network-guard-child.mjs')];
const childScript = join(import.meta.dirname, 'workflow-kill-restart-child.ts');

type Kill =
  /** when the emulators apply the child's nth write of this start: the write landed, its answer never arrives */
  | { kind: 'after-write'; n: number }
  /** once executions are recorded in progress, after a random delay (ms): between intent and effect, or mid-call */
  | { kind: 'in-progress'; delayMs: number }
  /** a random time after the child opened the store: in the sync, the identity step or the decisions */
  | { kind: 'timed'; ms: number };

/** mulberry32: the kill moments of a seed, the same on every machine */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function killPlan(seed: number): Kill[] {
  const random = seededRandom(seed * 7919);
  const kills: Kill[] = [{ kind: 'after-write', n: 1 + Math.floor(random() * 4) }, { kind: 'in-progress', delayMs: Math.floor(random() * 60) }].slice(0, KILLS) as Kill[];
  while (kills.length < KILLS) {
    const r = random();
    kills.push(r < 0.45 ? { kind: 'after-write', n: 1 + Math.floor(random() * 6) } : r < 0.75 ? { kind: 'in-progress', delayMs: Math.floor(random() * 150) } : { kind: 'timed', ms: 500 + Math.floor(random() * 6000) });
  }
  // shuffled: a kill after a write may come first or after others
  for (let i = kills.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [kills[i], kills[j]] = [kills[j]!, kills[i]!];
  }
  return kills;
}

interface Effect {
  channel: string;
  contactId?: string;
  accountId: string;
}

interface Start {
  kill?: Kill;
  /** what the child had done when it was killed */
  killedAt?: { writes: number; inProgress: number };
  done?: Record<string, unknown>;
  stderr: string;
}

/** runs the child once; kills it as `kill` says (if it has not ended first) */
async function start(job: KillRestartJob, kill: Kill | undefined, effects: { onWrite?: () => void }, writes: () => number): Promise<Start> {
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, childScript, JSON.stringify(job)], { env: { ...process.env, METADATA_SERVER_DETECTION: 'none' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const result: Start = { ...(kill ? { kill } : {}), stderr: '' };
  let db: Database.Database | undefined;
  const inProgress = () => {
    try {
      db ??= new Database(job.dbFile, { readonly: true, fileMustExist: true });
      return (db.prepare("select count(*) n from decisions where status = 'in_progress'").get() as { n: number }).n;
    } catch {
      return 0; // not migrated yet
    }
  };
  const killNow = () => {
    if (child.exitCode !== null || result.killedAt) return;
    child.kill('SIGKILL');
    result.killedAt = { writes: writes() - writesAtStart, inProgress: inProgress() };
  };
  const writesAtStart = writes();
  if (kill?.kind === 'after-write') {
    // synchronous, inside the emulator's handling of the write: the child dies before the answer
    effects.onWrite = () => {
      if (writes() - writesAtStart >= kill.n) killNow();
    };
  }
  const ready = async () => {
    while (!stdout.includes('ready') && child.exitCode === null) await sleep(5);
  };
  if (kill?.kind === 'timed') {
    await ready();
    await Promise.race([sleep(kill.ms), exited]);
    killNow();
  } else if (kill?.kind === 'in-progress') {
    await ready();
    while (child.exitCode === null && inProgress() === 0) await sleep(5);
    await Promise.race([sleep(kill.delayMs), exited]);
    killNow();
  }
  const code = await exited;
  effects.onWrite = undefined;
  db?.close();
  result.stderr = stderr;
  if (!result.killedAt) {
    const line = stdout.split('\n').find((l) => l.startsWith('done '));
    if (code !== 0 || !line) throw new Error(`the loop child exited with ${code} without finishing its cycle:\n${stderr.slice(-4000)}`);
    result.done = JSON.parse(line.slice(5));
  }
  return result;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface SeedResult {
  seed: number;
  kills: number;
  killKinds: string[];
  starts: number;
  executed: number;
  effects: number;
  duplicated: number;
  missing: number;
  orphans: number;
  unfinished: number;
  /** executions that failed, with the vendor's answer */
  failed: string[];
  /** tasks, segments and lists revloop created at the vendors, and how many are not one per executed decision */
  vendorObjects: number;
  objectMismatches: number;
  byChannel: Record<string, number>;
  finalRun: Record<string, unknown>;
  mismatches: string[];
}

async function runSeed(seed: number): Promise<SeedResult> {
  const dir = mkdtempSync(join(tmpdir(), `revloop-kill-restart-${seed}-`));
  // the ad platforms match hashed addresses exactly: with the CRMs' identity noise (plus aliases,
  // personal addresses) an audience add could reach no market person and look like a lost effect
  const base = JSON.parse(readFileSync(fileURLToPath(smallScenarioPath), 'utf8'));
  const scenario = loadScenario({ ...base, seed, identityNoise: { ...base.identityNoise, plusAlias: 0, personalEmail: 0 } });
  let sandbox: Sandbox | undefined;
  try {
    sandbox = await startSandbox({ scenario, vendors: ['hubspot', 'salesforce', 'linkedin', 'googleAds'] });
    // two simulated days of market before the loop first looks: signals to decide on
    sandbox.advanceDay();
    sandbox.advanceDay();
    // every write the emulators apply becomes a market treatment: the vendor-side effect ledger
    const effects: Effect[] = [];
    const hooks: { onWrite?: () => void } = {};
    const market = sandbox.market;
    const treat = market.treat.bind(market);
    market.treat = (t) => {
      effects.push({ channel: t.channel, accountId: t.accountId, ...(t.contactId ? { contactId: t.contactId } : {}) });
      const outcome = treat(t);
      hooks.onWrite?.();
      return outcome;
    };
    const job: KillRestartJob = { dir, dbFile: join(dir, 'revloop.db'), refs: sandbox.refs, now: market.now(), scenario: { seed: scenario.seed, topics: [...scenario.topics] }, actionsPerRun: ACTIONS_PER_RUN, salesTasks: salesTasksOf(seed) };

    const plan = killPlan(seed);
    const starts: Start[] = [];
    for (let i = 0; ; i++) {
      const s = await start(job, plan[i], hooks, () => effects.length);
      starts.push(s);
      if (s.done) break;
      if (i > plan.length + 3) throw new Error('the loop never finished a cycle');
    }
    const final = starts.at(-1)!.done!;

    // row by row: the decisions the store says were executed, against the emulators' effects
    const truth = identityTruth(sandbox);
    const hubspotContacts = sandbox.hubspot!.state.stores.contacts;
    const db = new Database(job.dbFile, { readonly: true });
    const rows = db.prepare("select id, status, output, execution from decisions where step = 'execute'").all() as { id: string; status: string; output: string | null; execution: string | null }[];
    db.close();
    const contactOfEmail = new Map<string, string>();
    for (const r of truth.records) {
      if (r.system !== 'hubspot' || r.entityType !== 'contact') continue;
      const email = hubspotContacts.get(r.systemId)?.properties.email;
      if (email) contactOfEmail.set(email.toLowerCase(), r.entityId);
    }
    /** the market person an executed decision addresses, as the emulators would name it in a treatment */
    const marketContact = (planned: { channel: string; input: any }): string | undefined => {
      const i = planned.input;
      if (planned.channel === 'email') return truth.entityOf('hubspot', 'contact', i.records[0].id);
      if (planned.channel === 'sales_task') return i.tasks[0].whoId ? truth.entityOf('salesforce', 'contact', i.tasks[0].whoId) : truth.entityOf('hubspot', 'contact', i.tasks[0].contactId);
      return contactOfEmail.get(String(i.emails[0]).toLowerCase());
    };
    const expected = new Map<string, string>(); // channel:contact → decision id
    const mismatches: string[] = [];
    const byChannel: Record<string, number> = {};
    let executed = 0;
    let unfinished = 0;
    const failed: string[] = [];
    for (const r of rows) {
      if (r.status === 'in_progress' || r.status === 'interrupted') unfinished++;
      if (r.status === 'failed') failed.push(`${JSON.parse(r.output!).channel}: ${r.execution}`);
      if (r.status !== 'executed') continue;
      executed++;
      const planned = JSON.parse(r.output!) as { channel: string; input: unknown };
      byChannel[planned.channel] = (byChannel[planned.channel] ?? 0) + 1;
      const who = marketContact(planned);
      const key = `${planned.channel}:${who}`;
      if (!who) mismatches.push(`${r.id}: no market person behind its ${planned.channel} input`);
      else if (expected.has(key)) mismatches.push(`${r.id} and ${expected.get(key)} address the same ${key}`);
      else expected.set(key, r.id);
    }
    const seen = new Map<string, number>();
    for (const e of effects) seen.set(`${e.channel}:${e.contactId}`, (seen.get(`${e.channel}:${e.contactId}`) ?? 0) + 1);
    let duplicated = 0;
    let missing = 0;
    let orphans = 0;
    for (const [key, id] of expected) {
      const n = seen.get(key) ?? 0;
      if (n === 0) {
        missing++;
        mismatches.push(`${id}: executed, no vendor effect (${key})`);
      } else if (n > 1) {
        duplicated += n - 1;
        mismatches.push(`${id}: ${n} vendor effects (${key})`);
      }
    }
    for (const [key, n] of seen) {
      if (!expected.has(key)) {
        orphans += n;
        mismatches.push(`${n} vendor effect(s) for ${key}: no executed decision`);
      }
    }
    // and by the vendors' own objects: one HubSpot task per executed task decision's key, one
    // LinkedIn segment and one Google Customer Match list per executed audience decision's name
    // (a duplicate object reaching nobody new would not show as a second effect above)
    const objectKeys = new Map<string, string>(); // e.g. task:<key> → decision id
    for (const r of rows) {
      if (r.status !== 'executed') continue;
      const planned = JSON.parse(r.output!) as { channel: string; input: any };
      if (planned.channel === 'sales_task') objectKeys.set(`task:${planned.input.tasks[0].key}`, r.id);
      if (planned.channel === 'linkedin') objectKeys.set(`segment:${planned.input.segmentName}`, r.id);
      if (planned.channel === 'google') objectKeys.set(`list:${planned.input.listName}`, r.id);
    }
    const objects = new Map<string, number>();
    const count = (key: string) => objects.set(key, (objects.get(key) ?? 0) + 1);
    for (const t of sandbox.hubspot!.state.stores.tasks.page(0, 1_000_000, false).records) if (t.properties.revloop_key) count(`task:${t.properties.revloop_key}`);
    for (const t of sandbox.salesforce!.state.all('Task')) if (t.values.revloop_key__c && !t.values.IsDeleted) count(`task:${t.values.revloop_key__c}`);
    for (const g of sandbox.linkedin!.state.segments.values()) if (g.name.startsWith('revloop ')) count(`segment:${g.name}`);
    for (const l of sandbox.googleAds!.state.userLists.values()) if (l.name.startsWith('revloop ')) count(`list:${l.name}`);
    let objectMismatches = 0;
    for (const [key, id] of objectKeys) {
      if ((objects.get(key) ?? 0) !== 1) {
        objectMismatches++;
        mismatches.push(`${id}: ${objects.get(key) ?? 0} vendor objects ${key}`);
      }
    }
    for (const [key, n] of objects) {
      if (!objectKeys.has(key)) {
        objectMismatches++;
        mismatches.push(`${n} vendor object(s) ${key}: no executed decision`);
      }
    }
    const killed = starts.filter((s) => s.killedAt);
    return {
      seed,
      kills: killed.length,
      killKinds: killed.map((s) => `${s.kill!.kind}${s.kill!.kind === 'after-write' ? `#${s.kill!.n}` : ''}@w${s.killedAt!.writes}/ip${s.killedAt!.inProgress}`),
      starts: starts.length,
      executed,
      effects: effects.length,
      duplicated,
      missing,
      orphans,
      unfinished,
      failed,
      vendorObjects: objects.size,
      objectMismatches,
      byChannel,
      finalRun: final,
      mismatches,
    };
  } finally {
    await sandbox?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const results: SeedResult[] = [];
afterAll(() => {
  for (const r of results) {
    const sf = (r.finalRun.failures as string[]).filter((f) => f.startsWith('salesforce/')).length;
    console.log(
      `[issue-27 workflow-kill] seed ${r.seed} (sales tasks via ${salesTasksOf(r.seed)}): kills ${r.kills} (${r.killKinds.join(', ')}), starts ${r.starts}, decisions executed ${r.executed} ${JSON.stringify(r.byChannel)}, vendor effects ${r.effects}, duplicated ${r.duplicated}, missing ${r.missing}, orphans ${r.orphans}, unfinished ${r.unfinished}, failed ${r.failed.length}; vendor objects ${r.vendorObjects} (not one per decision: ${r.objectMismatches}); salesforce streams failed to sync: ${sf}; last run ${JSON.stringify({ ...r.finalRun, failures: (r.finalRun.failures as string[]).length })}`,
    );
  }
});

describe('a workflow run killed with SIGKILL at random moments and restarted', () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}: one vendor effect per executed decision, none without one`, { timeout: 600_000 }, async () => {
      const r = await runSeed(seed);
      results.push(r);
      // the kills happened, some of them with writes of the child applied and unanswered
      expect(r.kills, JSON.stringify(r)).toBeGreaterThanOrEqual(2);
      expect(r.executed).toBeGreaterThan(0);
      // a kill is no reason for an execution to fail: each one is resumed and ends executed
      expect(r.failed).toEqual([]);
      const syncFailures = r.finalRun.failures as string[];
      expect(syncFailures.filter((f) => EXECUTED_INTO.some((c) => f.startsWith(`${c}/`)) || (salesTasksOf(seed) === 'salesforce' && f.startsWith('salesforce/')))).toEqual([]);
      expect(r.mismatches).toEqual([]);
      expect({ duplicated: r.duplicated, missing: r.missing, orphans: r.orphans, unfinished: r.unfinished, objectMismatches: r.objectMismatches }).toEqual({ duplicated: 0, missing: 0, orphans: 0, unfinished: 0, objectMismatches: 0 });
      expect(r.effects).toBe(r.executed);
    });
  }
});

// Who is executing a decision right now. An execution row that a process is about to send (status
// in_progress) carries that process's claim in its `execution` column until its result replaces
// it: `{"_claim":{"owner","pid","host","at"}}` (`_claim` cannot be a connector's name). Taking a
// row to resume it is one conditional UPDATE that compares the column with the value read (compare
// and set), so of two processes that find the same row — `revloop approvals approve` executing
// while a `serve` run starts and resumes what it finds in progress, or two runs on one store — one
// calls the vendor and the other leaves the row alone. Reconcile alone narrowed that race (the
// second looks at the vendor first) but could not close it: the first may not have written yet.
//
// A claim of a process that died (kill -9) is taken over at once; one whose owner cannot be checked
// (another host) after CLAIM_LEASE_MS. Real time, not ctx.clock: a simulated clock can run a day in
// seconds, and a process's liveness has nothing to do with simulated days.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Runtime } from '../runtime.js';
import { isAlive } from '../process-alive.js';

/** a claim older than this (real time) is taken over whoever holds it: no single execution lasts an hour */
export const CLAIM_LEASE_MS = 3_600_000;
export const CLAIM_FIELD = '_claim';

export interface ExecutionClaim {
  /** this process: host, pid, start time and a random part (a later process with the same pid is another owner) */
  owner: string;
  pid: number;
  host: string;
  /** when it was claimed, epoch ms (real time) */
  at: number;
}

const HOST = hostname();
const wallNow = () => performance.timeOrigin + performance.now();
const OWNER = `${encodeURIComponent(HOST)}/${process.pid}/${Math.round(performance.timeOrigin)}/${randomUUID()}`;
/** decision ids this process is executing now */
const held = new Set<string>();

/** the `execution` column's value while this process executes the decision */
export function claimValue(): string {
  const claim: ExecutionClaim = { owner: OWNER, pid: process.pid, host: HOST, at: Math.round(wallNow()) };
  return JSON.stringify({ [CLAIM_FIELD]: claim });
}

/** marks the decisions as executed by this process (their rows carry claimValue()) */
export function holdClaims(ids: Iterable<string>): void {
  for (const id of ids) held.add(id);
}

/** the decisions' results are written: their claims are gone with them */
export function releaseClaims(ids: Iterable<string>): void {
  for (const id of ids) held.delete(id);
}

/** the claim an `execution` column holds, if any */
export function claimOf(execution: string | null | undefined): ExecutionClaim | undefined {
  if (!execution || !execution.includes(CLAIM_FIELD)) return undefined;
  try {
    const c = (JSON.parse(execution) as Record<string, unknown>)[CLAIM_FIELD] as ExecutionClaim | undefined;
    return c && typeof c.owner === 'string' ? c : undefined;
  } catch {
    return undefined;
  }
}

/** true while the claim's process may still be calling the vendor: the row is not for anyone else */
export function isClaimLive(claim: ExecutionClaim, decisionId: string, now = wallNow()): boolean {
  // ours: live while this process executes it (a claim of ours it does not hold was left by a run that failed)
  if (claim.owner === OWNER) return held.has(decisionId);
  if (claim.host === HOST && !isAlive(claim.pid)) return false;
  // the pid of an earlier process, reused by this one
  if (claim.host === HOST && claim.pid === process.pid) return false;
  return now - claim.at <= CLAIM_LEASE_MS;
}

/**
 * Takes a row found in progress or interrupted for this process: true when this process now
 * executes it (the row was unclaimed, or its claim abandoned, and nobody took it meanwhile).
 */
export async function takeExecution(runtime: Runtime, row: { id: string; status: string; execution: string | null }): Promise<boolean> {
  const claim = claimOf(row.execution);
  if (claim && isClaimLive(claim, row.id)) return false;
  const result = await runtime.store.db
    .updateTable('decisions')
    .set({ execution: claimValue() })
    .where('id', '=', row.id)
    .where('status', '=', row.status)
    .where((eb) => (row.execution === null ? eb('execution', 'is', null) : eb('execution', '=', row.execution)))
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return false;
  held.add(row.id);
  return true;
}

/** the `execution` column without a claim (what the vendors answered, or null while nothing has) */
export function withoutClaim<T extends Record<string, unknown>>(execution: T | null): T | null {
  if (!execution || typeof execution !== 'object' || !(CLAIM_FIELD in execution)) return execution;
  const { [CLAIM_FIELD]: _claim, ...rest } = execution;
  return Object.keys(rest).length ? (rest as T) : null;
}

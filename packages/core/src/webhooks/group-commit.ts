// Group commit for webhook ingestion. A request whose events passed every check (signature, JSON,
// limits, mapping) hands them to this queue and waits; the queue writes the events of all the
// requests waiting at that moment together — their replay claims and their signals in ONE
// transaction (store.claimAndApply), their account links in one statement — and only then answers
// each request. Under load this turns N commits (each with its WAL append of the same hot index
// pages) and 3N statements into a few per group; after a stall, the requests that piled up are
// written in one go instead of one by one.
//
// A group starts `maxDelayMs` after its first request (0: at the end of the current turn of the
// event loop), or at once when `maxEvents` events are waiting; while a group is being written the
// next one gathers, and is written as soon as the first is done.
//
// What holds, as for one request at a time:
// - acknowledged ⇒ stored: a request is answered after the transaction with its events committed
//   (a process killed at any moment loses no acknowledged event; in WAL mode with
//   synchronous=NORMAL a commit survives a process kill);
// - claimed ⇒ stored: a replay key is claimed in the transaction that stores its request's
//   events, so a process killed (or a write failing) before that commit leaves no claim behind,
//   and the vendor's retry of the same signed request is accepted, not refused as a replay;
// - replays: two requests with the same replay key in one group — the first is written, the
//   others are replays (409), exactly as if they had come one after the other; a key already
//   claimed in the store is a replay;
// - one bad request cannot fail the others: if the group's transaction fails, each request is
//   claimed and written alone, and only the ones that still fail get the error (their claims
//   rolled back with their write).
import type { BatchWrite, Store, UnifiedRecord } from '@revloop/store';
import type { ReplayClaim, ReplayGuard } from './replay.js';
import { linkAccountsFromContacts } from './account-link.js';

export interface IngestRequest {
  /** the connector instance (the system its signals belong to) */
  connector: string;
  webhook: string;
  records: UnifiedRecord[];
  /** the request's replay key, when its webhook names one */
  replay?: { key: string; expiresAt: number };
}

export type IngestOutcome = { stored: number } | { replayed: true };

export interface GroupCommitOptions {
  /** how long the first request of a group waits for others (ms); 0: the end of this event-loop turn */
  maxDelayMs: number;
  /** a group is written at once when this many events wait; a group takes at most about this many */
  maxEvents: number;
}

export const groupCommitDefaults: GroupCommitOptions = { maxDelayMs: 2, maxEvents: 2000 };

export interface IngestQueue {
  /** resolves once the request's events are committed (or it is found a replay); rejects if they could not be */
  submit(request: IngestRequest): Promise<IngestOutcome>;
}

interface Waiting {
  request: IngestRequest;
  resolve(outcome: IngestOutcome): void;
  reject(error: unknown): void;
}

export interface IngestQueueDeps {
  store: Store;
  replay: ReplayGuard;
  now(): number;
  /** an error that did not fail any request (linking accounts after the commit) */
  onLinkError(error: unknown): void;
}

export function createIngestQueue(deps: IngestQueueDeps, options: GroupCommitOptions = groupCommitDefaults): IngestQueue {
  let waiting: Waiting[] = [];
  let waitingEvents = 0;
  let timer: ReturnType<typeof setTimeout> | ReturnType<typeof setImmediate> | undefined;
  let writing = false;

  function schedule(): void {
    if (writing) return; // the running group's loop takes the next one when it is done
    if (waitingEvents >= options.maxEvents) {
      cancelTimer();
      void writeWhileWaiting();
    } else if (!timer) {
      const start = () => {
        timer = undefined;
        void writeWhileWaiting();
      };
      timer = options.maxDelayMs > 0 ? setTimeout(start, options.maxDelayMs) : setImmediate(start);
    }
  }

  function cancelTimer(): void {
    if (!timer) return;
    clearTimeout(timer as ReturnType<typeof setTimeout>);
    clearImmediate(timer as ReturnType<typeof setImmediate>);
    timer = undefined;
  }

  /** the next group: the oldest waiting requests, up to maxEvents events (at least one request) */
  function takeGroup(): Waiting[] {
    let events = 0;
    let n = 0;
    while (n < waiting.length && (n === 0 || events + waiting[n]!.request.records.length <= options.maxEvents)) {
      events += waiting[n]!.request.records.length;
      n++;
    }
    const group = waiting.slice(0, n);
    waiting = waiting.slice(n);
    waitingEvents -= events;
    return group;
  }

  async function writeWhileWaiting(): Promise<void> {
    if (writing) return;
    writing = true;
    try {
      while (waiting.length) await writeGroup(takeGroup(), deps);
    } finally {
      writing = false;
    }
  }

  return {
    submit(request) {
      return new Promise<IngestOutcome>((resolve, reject) => {
        waiting.push({ request, resolve, reject });
        waitingEvents += request.records.length;
        schedule();
      });
    },
  };
}

const claimOf = (r: IngestRequest): ReplayClaim => ({ plugin: r.connector, webhook: r.webhook, key: r.replay!.key, expiresAt: r.replay!.expiresAt });

/** one BatchWrite per connector, its requests' records in arrival order */
function batchesOf(requests: IngestRequest[], syncedAt: number): BatchWrite[] {
  const byConnector = new Map<string, UnifiedRecord[]>();
  for (const r of requests) {
    const records = byConnector.get(r.connector) ?? [];
    if (!byConnector.has(r.connector)) byConnector.set(r.connector, records);
    for (const record of r.records) records.push(record);
  }
  return [...byConnector].map(([system, records]) => ({ system, entityType: 'signal', records, syncedAt }));
}

async function writeGroup(group: Waiting[], deps: IngestQueueDeps): Promise<void> {
  // 1. replays: a key twice in this group — the later copies are replays of the first
  const keys = new Set<string>();
  const fresh: Waiting[] = [];
  for (const w of group) {
    if (!w.request.replay) {
      fresh.push(w);
      continue;
    }
    const id = `${w.request.connector}\u0000${w.request.webhook}\u0000${w.request.replay.key}`;
    if (keys.has(id)) w.resolve({ replayed: true });
    else {
      keys.add(id);
      fresh.push(w);
    }
  }

  // 2. the claims and the signals of every request in one transaction; if that fails, each request alone
  const stored = await writeTogether(fresh, deps);

  // 3. new signals take their contacts' accounts. After the commit, and not a reason to fail a
  // request: its events are stored, and a signal left unlinked is linked after the next sync.
  try {
    const byConnector = new Map<string, string[]>();
    for (const w of stored) {
      const ids = byConnector.get(w.request.connector) ?? [];
      if (!byConnector.has(w.request.connector)) byConnector.set(w.request.connector, ids);
      for (const r of w.request.records) ids.push(r.systemId);
    }
    for (const [connector, ids] of byConnector) await linkAccountsFromContacts(deps.store, connector, ids);
  } catch (e) {
    deps.onLinkError(e);
  }
  for (const w of stored) w.resolve({ stored: w.request.records.length });
}

/**
 * One transaction: the requests' replay keys are claimed, and the signals of every request whose
 * key was taken (or that has none) are written; a request whose key is held in the store is
 * answered as a replay. Returns the requests whose signals are committed.
 */
async function commit(writers: Waiting[], deps: IngestQueueDeps): Promise<Waiting[]> {
  const keyed = writers.filter((w) => w.request.replay);
  const claims = await deps.replay.claimsOf(keyed.map((w) => claimOf(w.request)));
  const now = deps.now();
  let written: Waiting[] = [];
  const { claimed } = await deps.store.claimAndApply(claims, now, (taken) => {
    const replayed = new Set(keyed.filter((_, i) => !taken[i]));
    written = writers.filter((w) => !replayed.has(w));
    return batchesOf(written.map((w) => w.request), now);
  });
  keyed.forEach((w, i) => {
    if (!claimed[i]) w.resolve({ replayed: true });
  });
  return written;
}

/** writes the group; returns the requests whose signals are committed, rejects the ones that could not be */
async function writeTogether(writers: Waiting[], deps: IngestQueueDeps): Promise<Waiting[]> {
  if (writers.length === 0) return [];
  try {
    return await commit(writers, deps);
  } catch (groupError) {
    if (writers.length === 1) {
      writers[0]!.reject(groupError);
      return [];
    }
    const stored: Waiting[] = [];
    for (const w of writers) {
      try {
        stored.push(...(await commit([w], deps)));
      } catch (e) {
        // not stored, and not claimed either (the claim rolled back with the write)
        w.reject(e);
      }
    }
    return stored;
  }
}

// Group commit for webhook ingestion. A request whose events passed every check (signature, JSON,
// limits, mapping) hands them to this queue and waits; the queue writes the events of all the
// requests waiting at that moment together — their replay claims in one statement, their signals
// in ONE transaction (store.applyBatches), their account links in one statement — and only then
// answers each request. Under load this turns N commits (each with its WAL append of the same hot
// index pages) and 3N statements into a few per group; after a stall, the requests that piled up
// are written in one go instead of one by one.
//
// A group starts `maxDelayMs` after its first request (0: at the end of the current turn of the
// event loop), or at once when `maxEvents` events are waiting; while a group is being written the
// next one gathers, and is written as soon as the first is done.
//
// What holds, as for one request at a time:
// - acknowledged ⇒ stored: a request is answered after the transaction with its events committed
//   (a process killed at any moment loses no acknowledged event; in WAL mode with
//   synchronous=NORMAL a commit survives a process kill);
// - replays: two requests with the same replay key in one group — the first is written, the
//   others are replays (409), exactly as if they had come one after the other; a key already
//   claimed in the store is a replay;
// - one bad request cannot fail the others: if the group's transaction fails, each request is
//   written alone, and only the ones that still fail get the error (their claims are given back,
//   so that the vendor's retry is not taken for a replay).
// The claim is committed before the write (as before grouping): a process killed between the two
// leaves a claim for a request it never acknowledged; that request's retry with the same
// signature is refused until the vendor's timestamp window ends (vendors retry with a new one).
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
  try {
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
    // 2. replays: a key already claimed in the store
    const toClaim = fresh.filter((w) => w.request.replay);
    const claimed = await deps.replay.claimAll(toClaim.map((w) => claimOf(w.request)));
    const replayed = new Set(toClaim.filter((_, i) => !claimed[i]));
    for (const w of replayed) w.resolve({ replayed: true });
    const writers = fresh.filter((w) => !replayed.has(w));

    // 3. the signals of every request in one transaction; if that fails, each request alone
    const stored = await writeTogether(writers, deps);

    // 4. new signals take their contacts' accounts. After the commit, and not a reason to fail a
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
  } catch (e) {
    // the replay claims failed (the store is unusable): nothing of this group was written
    for (const w of group) w.reject(e);
  }
}

/** writes the group's signals; returns the requests whose signals are committed, rejects the others */
async function writeTogether(writers: Waiting[], deps: IngestQueueDeps): Promise<Waiting[]> {
  if (writers.length === 0) return [];
  try {
    await deps.store.applyBatches(batchesOf(writers.map((w) => w.request), deps.now()));
    return writers;
  } catch (groupError) {
    if (writers.length === 1) {
      await giveUp(writers[0]!, groupError, deps);
      return [];
    }
    const stored: Waiting[] = [];
    for (const w of writers) {
      try {
        await deps.store.applyBatches(batchesOf([w.request], deps.now()));
        stored.push(w);
      } catch (e) {
        await giveUp(w, e, deps);
      }
    }
    return stored;
  }
}

/** not stored: the claim is given back (its retry must not count as a replay), the request fails */
async function giveUp(w: Waiting, error: unknown, deps: IngestQueueDeps): Promise<void> {
  const r = w.request;
  if (r.replay) await deps.replay.release(r.connector, r.webhook, r.replay.key).catch(() => undefined);
  w.reject(error);
}

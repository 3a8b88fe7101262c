// `revloop status`: last runs, checkpoints and row counts.
import type { Store } from '@revloop/store';

export interface StatusReport {
  runs: { connector: string; stream: string; status: string; mode: string; startedAt: number; finishedAt: number | null; read: number; written: number; failed: number; deleted: number; error: string | null }[];
  checkpoints: { connector: string; stream: string; checkpoint: unknown; updatedAt: number }[];
  rows: Record<string, number>;
}

const countedTables = ['accounts', 'contacts', 'signals', 'campaigns', 'touchpoints', 'opportunities', 'decisions', 'outcomes', 'approvals', 'external_ids'] as const;

export async function statusReport(store: Store, limit = 20): Promise<StatusReport> {
  const runs = await store.db.selectFrom('sync_runs').selectAll().orderBy('started_at', 'desc').limit(limit).execute();
  const checkpoints = await store.db.selectFrom('sync_state').selectAll().orderBy('connector').orderBy('stream').execute();
  const rows: Record<string, number> = {};
  for (const t of countedTables) {
    const r = await store.db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    rows[t] = Number(r.n);
  }
  return {
    runs: runs.map((r) => ({
      connector: r.connector,
      stream: r.stream,
      status: r.status,
      mode: r.mode,
      startedAt: Number(r.started_at),
      finishedAt: r.finished_at === null ? null : Number(r.finished_at),
      read: Number(r.records_read),
      written: Number(r.records_written),
      failed: Number(r.records_failed),
      deleted: Number(r.records_deleted),
      error: r.error,
    })),
    checkpoints: checkpoints.map((c) => ({ connector: c.connector, stream: c.stream, checkpoint: readCheckpoint(c.checkpoint), updatedAt: Number(c.updated_at) })),
    rows,
  };
}

/** a damaged checkpoint is shown as what it is, not an unexpected error (`revloop sync --reset` replaces it) */
function readCheckpoint(text: string | null): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return { unreadable: text.slice(0, 200), fix: 'revloop sync <connector> <stream> --reset reads the stream again from its start' };
  }
}

// applyBatch for SQLite: identity map, upserts, soft deletes, merges, checkpoint and run
// counters in one transaction with cached prepared statements.
import type BetterSqlite3 from 'better-sqlite3';
import { entityDefinitions, type EntityDefinition, type EntityType, type LinkName } from './entities.js';
import { entityIdFor } from './ids.js';
import type { BatchResult, BatchWrite, UnifiedRecord } from './store.js';
import { upsertSql, syncedColumns } from './upsert-sql.js';

type Statement = BetterSqlite3.Statement;

/** records per multi-row statement (16 columns × 50 = 800 parameters, far below SQLite's limit) */
const CHUNK = 50;

export function createBatchWriter(sqlite: BetterSqlite3.Database) {
  const statements = new Map<string, Statement>();
  const prepare = (key: string, sql: string) => {
    let s = statements.get(key);
    if (!s) statements.set(key, (s = sqlite.prepare(sql)));
    return s;
  };

  // no RETURNING: SQLite materializes RETURNING rows in an ephemeral table per execution
  // (~1.4 µs a row here); `changes` says whether the row was claimed, a lookup covers the rest
  const claimId = () =>
    prepare('claim', 'INSERT INTO external_ids (system, entity_type, system_id, entity_id, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING');
  const findId = () => prepare('find', 'SELECT entity_id FROM external_ids WHERE system = ? AND entity_type = ? AND system_id = ?');

  // Identity lookups repeat a lot (every contact links its account): a bounded cache. The map
  // only changes through merges, which update the cache too.
  const cache = new Map<string, string>();
  const cacheKey = (system: string, type: EntityType, systemId: string) => `${system}\u0000${type}\u0000${systemId}`;

  /** The entity id for a system id, creating the identity-map entry on first sight. */
  function resolveOrClaim(system: string, type: EntityType, systemId: string, now: number, remember = true): string {
    const key = cacheKey(system, type, systemId);
    const hit = cache.get(key);
    if (hit) return hit;
    const fresh = entityIdFor(type, system, systemId);
    const claimed = claimId().run(system, type, systemId, fresh, now).changes === 1;
    const id = claimed ? fresh : (findId().get(system, type, systemId) as { entity_id: string }).entity_id;
    if (!remember) return id;
    if (cache.size > 200_000) cache.clear();
    cache.set(key, id);
    return id;
  }

  function resolve(system: string, type: EntityType, systemId: string): string | undefined {
    const row = findId().get(system, type, systemId) as { entity_id: string } | undefined;
    return row?.entity_id;
  }

  function upsertStatement(type: EntityType, def: EntityDefinition): { stmt: Statement; columns: string[] } {
    const columns = [...syncedColumns, ...def.columns, ...Object.values(def.links)] as string[];
    const stmt = prepare(`upsert:${type}`, upsertSql('sqlite', def.table, columns, ['id']));
    return { stmt, columns };
  }

  /** how each column of the upsert gets its value: decided once per entity type, not per record */
  type Source = { kind: 'synced'; column: string } | { kind: 'link'; link: LinkName } | { kind: 'field'; column: string };
  const plans = new Map<EntityType, Source[]>();
  function planFor(type: EntityType, def: EntityDefinition, columns: string[]): Source[] {
    let plan = plans.get(type);
    if (!plan) {
      plan = columns.map((column): Source => {
        if ((syncedColumns as readonly string[]).includes(column)) return { kind: 'synced', column };
        const link = linkOf(def, column);
        return link ? { kind: 'link', link } : { kind: 'field', column };
      });
      plans.set(type, plan);
    }
    return plan;
  }

  /** appends the record's column values (in plan order) to params */
  function writeRecord(batch: BatchWrite, plan: Source[], record: UnifiedRecord, id: string, params: unknown[]): unknown[] {
    for (const source of plan) {
      if (source.kind === 'field') {
        const v = record.fields[source.column];
        params.push(v === undefined ? null : v);
      } else if (source.kind === 'link') {
        const linked = record.links?.[source.link];
        params.push(linked ? resolveOrClaim(batch.system, source.link as EntityType, linked, batch.syncedAt) : null);
      } else {
        switch (source.column) {
          case 'id': params.push(id); break;
          case 'source_system': params.push(batch.system); break;
          case 'raw': params.push(record.raw === undefined ? null : JSON.stringify(record.raw)); break;
          case 'attributes': params.push(record.attributes ? JSON.stringify(record.attributes) : null); break;
          case 'deleted': params.push(record.deleted ? 1 : 0); break;
          case 'deleted_at': params.push(record.deleted ? (record.updatedAt ?? batch.syncedAt) : null); break;
          case 'created_at': params.push(record.createdAt ?? null); break;
          case 'updated_at': params.push(record.updatedAt ?? null); break;
          case 'synced_at': params.push(batch.syncedAt); break;
        }
      }
    }
    return params;
  }

  function softDelete(batch: BatchWrite, def: EntityDefinition, systemId: string): boolean {
    const id = resolve(batch.system, batch.entityType, systemId);
    if (!id) return false;
    const r = prepare(`delete:${def.table}`, `UPDATE ${def.table} SET deleted = 1, deleted_at = ?, synced_at = ? WHERE id = ? AND deleted = 0`).run(
      batch.syncedAt,
      batch.syncedAt,
      id,
    );
    return r.changes > 0;
  }

  function merge(batch: BatchWrite, def: EntityDefinition, loserSystemId: string, winnerSystemId: string): boolean {
    const winner = resolveOrClaim(batch.system, batch.entityType, winnerSystemId, batch.syncedAt);
    const loser = resolveOrClaim(batch.system, batch.entityType, loserSystemId, batch.syncedAt);
    if (loser === winner) return false;
    // every system id that pointed at the loser now resolves to the winner
    sqlite.prepare('UPDATE external_ids SET entity_id = ? WHERE entity_id = ?').run(winner, loser);
    cache.clear(); // entries pointing at the loser are stale; merges are rare, so start over
    const mergedCol = def.table === 'contacts' ? ', merged_into = ?' : '';
    const args = def.table === 'contacts' ? [batch.syncedAt, batch.syncedAt, winner, loser] : [batch.syncedAt, batch.syncedAt, loser];
    sqlite.prepare(`UPDATE ${def.table} SET deleted = 1, deleted_at = ?, synced_at = ?${mergedCol} WHERE id = ?`).run(...args);
    // re-point every link to the loser (contacts of a merged account, signals of a merged contact...)
    for (const other of Object.values(entityDefinitions)) {
      const column = other.links[batch.entityType as LinkName];
      if (column) sqlite.prepare(`UPDATE ${other.table} SET ${column} = ? WHERE ${column} = ?`).run(winner, loser);
    }
    return true;
  }

  /**
   * Records are written CHUNK at a time: one multi-row identity claim and one multi-row upsert
   * per chunk instead of one statement each per record (~1.5 µs a record less here). The result
   * is the same as record by record: claims and upserts touch different tables, rows of one
   * statement apply in order, and when not every claim of a chunk was new (a known or repeated
   * id) the chunk's ids are read back from the identity map.
   */
  function writeChunk(batch: BatchWrite, plan: Source[], records: UnifiedRecord[], start: number, claimMany: Statement, upsertMany: Statement, scratch: { claims: unknown[]; params: unknown[]; ids: string[] }) {
    const { claims, params, ids } = scratch;
    claims.length = 0;
    for (let j = 0; j < CHUNK; j++) {
      const systemId = records[start + j]!.systemId;
      ids[j] = entityIdFor(batch.entityType, batch.system, systemId);
      claims.push(batch.system, batch.entityType, systemId, ids[j], batch.syncedAt);
    }
    if (claimMany.run(claims).changes !== CHUNK) {
      for (let j = 0; j < CHUNK; j++) ids[j] = (findId().get(batch.system, batch.entityType, records[start + j]!.systemId) as { entity_id: string }).entity_id;
    }
    params.length = 0;
    for (let j = 0; j < CHUNK; j++) writeRecord(batch, plan, records[start + j]!, ids[j]!, params);
    upsertMany.run(params);
  }

  function applyOne(batch: BatchWrite): BatchResult {
    const def = entityDefinitions[batch.entityType];
    const { stmt, columns } = upsertStatement(batch.entityType, def);
    const plan = planFor(batch.entityType, def, columns);
    const params: unknown[] = [];
    const records = batch.records;
    let i = 0;
    if (records.length >= CHUNK) {
      const claimMany = prepare(`claim:${CHUNK}`, `INSERT INTO external_ids (system, entity_type, system_id, entity_id, created_at) VALUES ${Array(CHUNK).fill('(?, ?, ?, ?, ?)').join(', ')} ON CONFLICT DO NOTHING`);
      const upsertMany = prepare(`upsert:${batch.entityType}:${CHUNK}`, upsertSql('sqlite', def.table, columns, ['id'], CHUNK));
      const scratch = { claims: [] as unknown[], params, ids: new Array<string>(CHUNK) };
      for (; i + CHUNK <= records.length; i += CHUNK) writeChunk(batch, plan, records, i, claimMany, upsertMany, scratch);
    }
    for (; i < records.length; i++) {
      const record = records[i]!;
      // a record's own id is rarely asked for again in the same sync (links are): not cached, so
      // that a million-record stream does not churn the cache and the garbage collector
      const id = resolveOrClaim(batch.system, batch.entityType, record.systemId, batch.syncedAt, false);
      params.length = 0;
      stmt.run(writeRecord(batch, plan, record, id, params));
    }
    const written = records.length;
    let deleted = 0;
    for (const systemId of batch.deletes ?? []) if (softDelete(batch, def, systemId)) deleted++;
    let merged = 0;
    for (const m of batch.merges ?? []) if (merge(batch, def, m.loserSystemId, m.winnerSystemId)) merged++;
    if (batch.checkpoint) {
      prepare(
        'checkpoint',
        upsertSql('sqlite', 'sync_state', ['connector', 'stream', 'checkpoint', 'updated_at'], ['connector', 'stream']),
      ).run(batch.checkpoint.connector, batch.checkpoint.stream, JSON.stringify(batch.checkpoint.value ?? null), batch.syncedAt);
    }
    if (batch.run) {
      prepare(
        'run',
        'UPDATE sync_runs SET records_read = records_read + ?, records_written = records_written + ?, records_failed = records_failed + ?, records_deleted = records_deleted + ? WHERE id = ?',
      ).run(batch.run.read, written, batch.run.failed, deleted + merged, batch.run.id);
    }
    return { written, deleted, merged };
  }

  const applyTx = sqlite.transaction(applyOne);
  const applyAllTx = sqlite.transaction((batches: BatchWrite[]): BatchResult[] => batches.map(applyOne));

  return {
    apply(batch: BatchWrite): BatchResult {
      try {
        return applyTx(batch);
      } catch (error) {
        // the transaction rolled back; cached ids claimed inside it may not exist any more
        cache.clear();
        throw error;
      }
    },
    applyAll(batches: BatchWrite[]): BatchResult[] {
      try {
        return applyAllTx(batches);
      } catch (error) {
        cache.clear();
        throw error;
      }
    },
    resolve,
  };
}

function linkOf(def: EntityDefinition, column: string): LinkName | undefined {
  for (const [link, col] of Object.entries(def.links)) if (col === column) return link as LinkName;
  return undefined;
}

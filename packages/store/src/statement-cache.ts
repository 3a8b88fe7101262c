// The database kysely's SQLite driver talks to, with a cache of prepared statements. The driver
// prepares every query afresh (parse and plan in SQLite, a new native statement object), while
// revloop's loop sends the same few hundred SQL texts thousands of times (a simulated day runs
// each of them per chunk of accounts). A statement is reused only when it is not busy (an open
// iterator of a streamed query); the least recently used ones are dropped beyond `max`.
import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/** distinct SQL texts kept prepared (IN lists of every length are distinct texts: bounded) */
export const STATEMENT_CACHE_SIZE = 500;

export function cachingDatabase(sqlite: BetterSqlite3.Database, max = STATEMENT_CACHE_SIZE): SqliteDatabase & { cached(): number } {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      const hit = statements.get(sql);
      if (hit && !hit.busy) {
        // most recently used last: the oldest entry is the first one dropped
        statements.delete(sql);
        statements.set(sql, hit);
        return hit;
      }
      const fresh = sqlite.prepare(sql);
      if (!hit) {
        statements.set(sql, fresh);
        if (statements.size > max) statements.delete(statements.keys().next().value!);
      }
      return fresh;
    },
    cached: () => statements.size,
  };
}

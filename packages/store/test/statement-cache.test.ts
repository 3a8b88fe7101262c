import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cachingDatabase } from '../src/statement-cache.js';

let sqlite: BetterSqlite3.Database;
afterEach(() => sqlite?.open && sqlite.close());

function open() {
  sqlite = new BetterSqlite3(':memory:');
  sqlite.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)');
  return vi.spyOn(sqlite, 'prepare');
}

describe('cachingDatabase: kysely reuses prepared statements', () => {
  it('prepares a repeated query once and answers as a fresh statement would', async () => {
    const prepare = open();
    const cache = cachingDatabase(sqlite);
    const db = new Kysely<{ t: { id: number; name: string } }>({ dialect: new SqliteDialect({ database: cache }) });
    for (let i = 1; i <= 20; i++) await db.insertInto('t').values({ id: i, name: `n${i}` }).execute();
    const rows = [];
    for (let i = 1; i <= 20; i++) rows.push(await db.selectFrom('t').select('name').where('id', '=', i).executeTakeFirst());
    expect(rows.map((r) => r?.name)).toEqual(Array.from({ length: 20 }, (_, i) => `n${i + 1}`));
    expect(prepare).toHaveBeenCalledTimes(2); // one insert text, one select text
    expect(cache.cached()).toBe(2);
    await db.destroy();
  });

  it('a statement busy with an open iterator is not handed out again: the same text gets a fresh one', async () => {
    open();
    sqlite.exec("INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')");
    const cache = cachingDatabase(sqlite);
    const text = 'SELECT name FROM t ORDER BY id';
    const first = cache.prepare(text);
    const iter = (first as BetterSqlite3.Statement).iterate([]);
    expect(iter.next().value).toEqual({ name: 'a' });
    const second = cache.prepare(text);
    expect(second).not.toBe(first);
    expect(second.all([])).toHaveLength(3);
    iter.return?.();
    expect(cache.prepare(text)).toBe(first); // free again: the cached one
  });

  it('keeps at most `max` texts, dropping the least recently used', () => {
    const prepare = open();
    const cache = cachingDatabase(sqlite, 2);
    const a = cache.prepare('SELECT 1');
    cache.prepare('SELECT 2');
    expect(cache.prepare('SELECT 1')).toBe(a); // used again: now the most recent
    cache.prepare('SELECT 3'); // drops SELECT 2
    expect(cache.cached()).toBe(2);
    expect(cache.prepare('SELECT 1')).toBe(a);
    prepare.mockClear();
    cache.prepare('SELECT 2');
    expect(prepare).toHaveBeenCalledTimes(1);
  });

  it('a statement prepared before a schema change still runs after it', async () => {
    open();
    const cache = cachingDatabase(sqlite);
    const db = new Kysely<{ t: { id: number; name: string } }>({ dialect: new SqliteDialect({ database: cache }) });
    await db.insertInto('t').values({ id: 1, name: 'x' }).execute();
    await sql`ALTER TABLE t ADD COLUMN extra TEXT`.execute(db);
    await db.insertInto('t').values({ id: 2, name: 'y' }).execute();
    expect(await db.selectFrom('t').select(['id', 'name']).orderBy('id').execute()).toEqual([{ id: 1, name: 'x' }, { id: 2, name: 'y' }]);
    await db.destroy();
  });
});

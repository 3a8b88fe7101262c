// A store file that cannot be the database: not SQLite at all, damaged, or emptied. Thrown with
// the path, so that core can say what, where and how to fix instead of a bare SQLite message.
import { existsSync, statSync } from 'node:fs';

/** how long a brand-new store file may stay empty while its creator migrates it (lock timing, not logic) */
const FRESH_MS = 30_000;

export class StoreFileError extends Error {
  constructor(
    readonly code: 'STORE_NOT_A_DATABASE' | 'STORE_EMPTY_FILE',
    readonly path: string,
    message: string,
    readonly fix: string,
  ) {
    super(message);
    this.name = 'StoreFileError';
  }
}

/**
 * A file that exists with 0 bytes is no database revloop made (it writes its schema at once):
 * most likely a truncated copy. Opening it would silently start an empty store over it.
 */
export function refuseEmptyStoreFile(path: string): void {
  if (!existsSync(path)) return;
  const stat = statSync(path);
  // a file another process created a moment ago is empty until its first commit (concurrent
  // starts on a new store): only one left empty for a while is a truncated database
  if (stat.size === 0 && Date.now() - stat.mtimeMs > FRESH_MS)
    throw new StoreFileError('STORE_EMPTY_FILE', path, `the store file ${path} is empty (0 bytes): a database revloop created is never empty, so this one was truncated or replaced`, `restore it from a backup; or, to start with an empty store, delete the file and run \`revloop migrate\``);
}

/** SQLite's own words for a file that is not (or no longer) a database */
export function asStoreFileError(error: unknown, path: string): unknown {
  const code = (error as { code?: string } | undefined)?.code;
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT')
    return new StoreFileError('STORE_NOT_A_DATABASE', path, `the store file ${path} is not a readable SQLite database (${(error as Error).message})`, `check store.path in the config points at revloop's database; restore the file from a backup, or move it away and run \`revloop migrate\` to start an empty store`);
  return error;
}

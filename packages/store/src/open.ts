import { openSqliteStore } from './sqlite.js';
import type { Store } from './store.js';

export type StoreConfig = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

export function openStore(config: StoreConfig): Store {
  if (config.kind === 'sqlite') return openSqliteStore({ path: config.path });
  throw new Error(
    `store.kind "postgres" is not available in this version of revloop (Postgres support is planned with the scale-out work). Use store: { kind: 'sqlite', path: '...' }.`,
  );
}

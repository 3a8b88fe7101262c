// `revloop migrate`: create or upgrade the database.
import { loadCliConfig, openRuntime, type GlobalOptions } from '../context.js';
import { out, outJson } from '../output.js';

export async function migrateCommand(opts: GlobalOptions): Promise<number> {
  const loaded = await loadCliConfig(opts);
  const runtime = await openRuntime(loaded);
  try {
    const { applied } = await runtime.store.migrate();
    const store = storeLabel(loaded.config.store);
    if (opts.json) outJson({ store, applied });
    else out(applied.length ? `applied ${applied.length} migration${applied.length > 1 ? 's' : ''} to ${store}:\n${applied.map((m) => `  ${m}`).join('\n')}` : `${store} is up to date (no migration to apply)`);
    return 0;
  } finally {
    await runtime.close();
  }
}

export function storeLabel(store: { kind: string; path?: string; url?: string }): string {
  return store.kind === 'sqlite' ? `sqlite ${store.path}` : `${store.kind} database`;
}

// `revloop identity`: one customer, one record, as a person checks it. What resolution made of
// the connectors' rows (status), the merges and splits it recorded (events), the merges it holds
// for a person (held), and a person's word: approve or reject a held merge, undo a merge or split.
import { approveHeldMerge, rejectHeldMerge, resolveIdentities, RevloopError, undoIdentityEvent, type Runtime } from '@revloop/core';
import { withRuntime, type GlobalOptions } from '../context.js';
import { out, outJson, table, time } from '../output.js';
import { renderIdentity } from './sync.js';

export interface IdentityOptions extends GlobalOptions {
  full?: boolean;
  kind?: string;
  limit?: string;
  by?: string;
}

async function counts(runtime: Runtime) {
  const db = runtime.store.db;
  const n = async (q: any) => Number((await q.select((eb: any) => eb.fn.countAll().as('n')).executeTakeFirst())?.n ?? 0);
  const bySystem = async (table: 'accounts' | 'contacts') =>
    Object.fromEntries((await db.selectFrom(table).select((eb) => ['source_system', eb.fn.countAll<number>().as('n')]).where('deleted', '=', 0).groupBy('source_system').execute()).map((r) => [r.source_system, Number(r.n)]));
  return {
    accounts: { rows: await bySystem('accounts'), resolved: await n(db.selectFrom('resolved_accounts')), acrossSystems: await n(db.selectFrom('resolved_accounts').where('systems', 'like', '%,%')) },
    contacts: { rows: await bySystem('contacts'), resolved: await n(db.selectFrom('resolved_contacts')), acrossSystems: await n(db.selectFrom('resolved_contacts').where('systems', 'like', '%,%')) },
    held: await n(db.selectFrom('identity_events').where('state', '=', 'held')),
  };
}

/** `revloop identity status [--resolve] [--full]`: rows per connector → resolved entities */
export async function identityStatusCommand(opts: IdentityOptions & { resolve?: boolean }): Promise<number> {
  return withRuntime(opts, async (runtime) => {
    const run = opts.resolve || opts.full ? await resolveIdentities(runtime.store, { now: runtime.clock.now(), config: runtime.loaded.config.identity, full: opts.full }) : undefined;
    const c = await counts(runtime);
    if (opts.json) {
      outJson({ ...c, ...(run ? { run } : {}) });
      return 0;
    }
    const line = (label: string, x: typeof c.accounts) => {
      const rows = Object.entries(x.rows).map(([s, k]) => `${k} ${s}`).join(' + ') || '0';
      return `${label}: ${rows} rows → ${x.resolved} resolved, ${x.acrossSystems} of them known to more than one connector`;
    };
    out([line('accounts', c.accounts), line('contacts', c.contacts), c.held ? `${c.held} merge(s) held for review: revloop identity held` : 'no merge held for review', ...(run ? [renderIdentity(run)] : [])].join('\n'));
    return 0;
  });
}

function parseLimit(text: string | undefined): number {
  if (text === undefined) return 50;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new RevloopError('BAD_ARGUMENT', `--limit must be a whole number above 0, not "${text}"`, { where: '--limit', fix: 'pass --limit 50', kind: 'bad_input' });
  return n;
}

const kinds = ['merge', 'split', 'held'];

/** `revloop identity events [--kind merge|split|held]` and `revloop identity held` */
export async function identityEventsCommand(opts: IdentityOptions, onlyHeld = false): Promise<number> {
  if (opts.kind !== undefined && !kinds.includes(opts.kind))
    throw new RevloopError('BAD_ARGUMENT', `--kind must be one of ${kinds.join(', ')}, not "${opts.kind}"`, { where: '--kind', fix: `pass --kind ${kinds[0]}`, kind: 'bad_input' });
  const limit = parseLimit(opts.limit);
  return withRuntime(opts, async (runtime) => {
    let q = runtime.store.db.selectFrom('identity_events').selectAll().orderBy('created_at', 'desc').orderBy('id').limit(limit);
    if (onlyHeld) q = q.where('state', '=', 'held');
    else if (opts.kind) q = q.where('kind', '=', opts.kind);
    const rows = (await q.execute()).map((e) => ({ ...e, changes: JSON.parse(e.changes) as unknown }));
    if (opts.json) {
      outJson(rows);
      return 0;
    }
    if (!rows.length) {
      out(onlyHeld ? 'no merge is held for review' : 'no identity events yet (they are recorded by `revloop sync`, `revloop run` and `revloop serve`)');
      return 0;
    }
    out(
      table(rows, [
        { header: 'id', value: (e) => e.id },
        { header: 'time', value: (e) => time(Number(e.created_at)) },
        { header: 'type', value: (e) => e.entity_type },
        { header: 'kind', value: (e) => e.kind },
        { header: 'state', value: (e) => e.state },
        { header: 'rows', value: (e) => (Array.isArray(e.changes) ? e.changes.map((c: { id: string }) => c.id).join(', ') : `${(e.changes as { membersA: string[] }).membersA.join(', ')} ⟷ ${(e.changes as { membersB: string[] }).membersB.join(', ')}`).slice(0, 90) },
        { header: 'reason', value: (e) => (e.reason ?? '').slice(0, 80) },
      ]),
    );
    if (onlyHeld) out('\napprove one with `revloop identity approve <id>`, keep the accounts apart with `revloop identity reject <id>`');
    return 0;
  });
}

/** `revloop identity approve|reject|undo <event-id>` */
export async function identityDecideCommand(action: 'approve' | 'reject' | 'undo', id: string, opts: IdentityOptions): Promise<number> {
  return withRuntime(opts, async (runtime) => {
    const options = { now: runtime.clock.now(), by: opts.by ?? process.env.USER ?? 'cli', config: runtime.loaded.config.identity };
    if (action === 'approve') await approveHeldMerge(runtime.store, id, options);
    else if (action === 'reject') await rejectHeldMerge(runtime.store, id, options);
    else await undoIdentityEvent(runtime.store, id, options);
    const done = { approve: 'approved: the accounts are one customer from now on', reject: 'rejected: the accounts stay apart from now on', undo: 'undone: the rows are back as they were, and the rules will not redo it' }[action];
    if (opts.json) outJson({ id, action, ok: true });
    else out(`${id} ${done}`);
    return 0;
  });
}

// Running a connector action: input validated against the action's schema, and an idempotency
// record (plugin_state `action:<key>`) so that a retried action (same key) returns the first
// result instead of writing twice. The record is written BEFORE the vendor call, as
// `{ state: 'in_progress' }`, and becomes `{ state: 'done', result }` after it: a record found
// in progress means an earlier attempt's outcome is unknown (a crash, a 5xx or a dropped
// connection after the request left, or a concurrent call), so the action's reconcile() looks at
// the vendor before anything is sent again. Without reconcile() the write is sent again with the
// same idempotency key (the connector's own upsert-by-key / search-before-create covers it).
import type { Runtime } from './runtime.js';
import type { ActionDefinition, ReconcileResult } from './contract/connector.js';
import type { PluginContext } from './context/context.js';
import { RevloopError, errorMessage, isRevloopError } from './errors.js';
import { assertConfiguredUrls } from './context/outbound-config.js';

export interface ActionOutcome<T = unknown> {
  key: string;
  /** true when nothing was written by this call: the stored result (or the one reconcile found at the vendor) is returned */
  replayed: boolean;
  result: T;
  /** what a look at the vendor (reconcile) found before sending again, when one was made */
  reconciled?: 'found' | 'partial' | 'not_found';
}

export interface RunActionOptions {
  /**
   * An earlier attempt's outcome is unknown even if no record says so (the engine's decision row
   * was left 'in_progress' by a crash before this record was written): look at the vendor first.
   */
  resume?: boolean;
}

/** The idempotency record: old records (before the in-progress marker) are `{ result, at }` and mean done. */
type ActionRecord<T> = { state: 'in_progress'; at: number } | { state: 'done'; result: T; at: number } | { state?: undefined; result: T; at?: number };

interface ResolvedAction {
  action: ActionDefinition;
  ctx: PluginContext;
  input: unknown;
  /** `<action>:<action.idempotencyKey(input)>`: the record is `action:<key>` in the connector's plugin state */
  key: string;
}

function resolve(runtime: Runtime, connectorName: string, actionName: string, input: unknown): ResolvedAction {
  const instance = runtime.connector(connectorName);
  const action = instance.definition.actions?.find((a) => a.name === actionName) as ActionDefinition | undefined;
  if (!action) {
    throw new RevloopError('ACTION_UNKNOWN', `connector "${connectorName}" has no action "${actionName}"`, {
      where: `connectors.${connectorName}`,
      fix: `use one of: ${(instance.definition.actions ?? []).map((a) => a.name).join(', ') || '(it has no actions)'}`,
      kind: 'bad_input',
    });
  }
  const parsed = action.input.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RevloopError('ACTION_INPUT_INVALID', `input of ${connectorName}.${actionName} is invalid at ${issue.path.join('.') || '(root)'}: ${issue.message}`, {
      where: `${connectorName}.${actionName}`,
      fix: 'pass an input that matches the action schema',
      kind: 'bad_input',
    });
  }
  return { action, ctx: runtime.contextFor(instance), input: parsed.data, key: `${actionName}:${action.idempotencyKey(parsed.data)}` };
}

/**
 * The key runAction would record this execution under, or undefined when the connector, the
 * action or the input is not one runAction would accept (a custom executor's target).
 */
export function actionKeyOf(runtime: Runtime, connectorName: string, actionName: string, input: unknown): string | undefined {
  try {
    return resolve(runtime, connectorName, actionName, input).key;
  } catch {
    return undefined;
  }
}

/**
 * True when a thrown error proves the vendor did not apply the write, so the in-progress record
 * can go: bad input (a RevloopError of kind 'bad_input', e.g. a validation error or a 4xx the
 * connector mapped), an error carrying `notApplied: true`, or the HTTP helper's HttpError with a
 * 4xx status other than 408/409/425/429 (a timeout, a conflict or a rate limit says nothing
 * about whether an earlier attempt landed).
 */
export function provesNotApplied(e: unknown): boolean {
  if (!e || typeof e !== 'object') return false;
  if ((e as { notApplied?: unknown }).notApplied === true) return true;
  if (isRevloopError(e)) return e.kind === 'bad_input';
  const status = (e as { name?: unknown; status?: unknown }).name === 'HttpError' ? Number((e as { status: unknown }).status) : NaN;
  return status >= 400 && status < 500 && ![408, 409, 425, 429].includes(status);
}

/**
 * The result of a batch that reconcile found half done (`done`) and whose rest was sent now
 * (`rest`): arrays are concatenated, and so are the array fields two objects share (per-record
 * results, failures); any other field is the later call's. A connector whose result needs another
 * merge returns it from run() on the remaining input and its done part from reconcile().
 */
export function mergeActionResults(done: unknown, rest: unknown): unknown {
  if (Array.isArray(done) && Array.isArray(rest)) return [...done, ...rest];
  if (!done || !rest || typeof done !== 'object' || typeof rest !== 'object' || Array.isArray(done) || Array.isArray(rest)) return rest;
  const merged: Record<string, unknown> = { ...(done as Record<string, unknown>), ...(rest as Record<string, unknown>) };
  for (const [k, v] of Object.entries(done as Record<string, unknown>)) {
    const r = (rest as Record<string, unknown>)[k];
    if (Array.isArray(v) && Array.isArray(r)) merged[k] = [...v, ...r];
  }
  return merged;
}

/**
 * Claims the record for this attempt: a new record is inserted as in progress in one statement
 * (ON CONFLICT DO NOTHING), so of two concurrent first attempts only one finds it free; an
 * existing record is returned as it was.
 */
async function claim<T>(ctx: PluginContext, stateKey: string, at: number): Promise<ActionRecord<T> | undefined> {
  const value = JSON.stringify({ state: 'in_progress', at });
  const inserted = await ctx.store.db
    .insertInto('plugin_state')
    .values({ plugin: ctx.name, key: stateKey, value, updated_at: at })
    .onConflict((oc) => oc.columns(['plugin', 'key']).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0) return undefined;
  return ctx.state.get<ActionRecord<T>>(stateKey);
}

export async function runAction<T = unknown>(runtime: Runtime, connectorName: string, actionName: string, input: unknown, options: RunActionOptions = {}): Promise<ActionOutcome<T>> {
  const { action, ctx, input: parsed, key } = resolve(runtime, connectorName, actionName, input);
  // the vendor SDK sends to the URLs in the config: refused before anything is claimed or sent
  await assertConfiguredUrls(runtime, runtime.connector(connectorName));
  const stateKey = `action:${key}`;
  const previous = await claim<T>(ctx, stateKey, runtime.clock.now());
  if (previous && previous.state !== 'in_progress') return { key, replayed: true, result: previous.result };

  // an earlier attempt may have reached the vendor: look before sending again
  let toSend: unknown = parsed;
  let reconciled: ActionOutcome['reconciled'];
  let donePart: unknown;
  if (previous || options.resume) {
    if (action.reconcile) {
      const found = (await action.reconcile(ctx, parsed)) as ReconcileResult;
      if (found.found === true) {
        await ctx.state.set(stateKey, { state: 'done', result: found.result, at: runtime.clock.now() });
        ctx.log.info({ action: `${connectorName}.${actionName}`, key }, 'reconcile found the write at the vendor: not sent again');
        return { key, replayed: true, result: found.result as T, reconciled: 'found' };
      }
      if (found.found === 'partial') {
        reconciled = 'partial';
        toSend = found.remaining;
        donePart = found.done;
      } else reconciled = 'not_found';
    } else {
      ctx.log.warn(
        { action: `${connectorName}.${actionName}`, key },
        'an earlier attempt of this action may have reached the vendor, and the connector cannot look first (no reconcile): sending again with the same idempotency key',
      );
    }
    if (previous) await ctx.state.set(stateKey, { state: 'in_progress', at: runtime.clock.now() });
  }

  let sent: unknown;
  try {
    sent = await action.run(ctx, toSend);
  } catch (e) {
    // the marker goes only when the error proves nothing was written (and no part was found done):
    // otherwise it stays in progress and the next attempt reconciles first
    if (reconciled !== 'partial' && provesNotApplied(e)) await ctx.state.delete(stateKey);
    else ctx.log.debug({ action: `${connectorName}.${actionName}`, key, error: errorMessage(e) }, 'action failed with an unknown outcome: its record stays in progress');
    throw e;
  }
  const result = (reconciled === 'partial' ? mergeActionResults(donePart, sent) : sent) as T;
  await ctx.state.set(stateKey, { state: 'done', result, at: runtime.clock.now() });
  return { key, replayed: false, result, ...(reconciled ? { reconciled } : {}) };
}

/** runAction for an execution whose earlier attempt's outcome is unknown: reconciles before sending. */
export function resumeAction<T = unknown>(runtime: Runtime, connectorName: string, actionName: string, input: unknown): Promise<ActionOutcome<T>> {
  return runAction<T>(runtime, connectorName, actionName, input, { resume: true });
}

// Running a connector action: input validated against the action's schema, and an idempotency
// record so that a retried action (same key) returns the first result instead of writing twice.
// Connectors make the vendor write itself idempotent too (upsert by key, search before create),
// which covers a crash between the vendor write and this record.
import type { Runtime } from './runtime.js';
import type { ActionDefinition } from './contract/connector.js';
import { RevloopError } from './errors.js';

export interface ActionOutcome<T = unknown> {
  key: string;
  /** true when this key had already run: the stored result is returned, nothing was written */
  replayed: boolean;
  result: T;
}

export async function runAction<T = unknown>(runtime: Runtime, connectorName: string, actionName: string, input: unknown): Promise<ActionOutcome<T>> {
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
  const ctx = runtime.contextFor(instance);
  const key = `${actionName}:${action.idempotencyKey(parsed.data)}`;
  const stateKey = `action:${key}`;
  const previous = await ctx.state.get<{ result: T }>(stateKey);
  if (previous) return { key, replayed: true, result: previous.result };
  const result = (await action.run(ctx, parsed.data)) as T;
  await ctx.state.set(stateKey, { result, at: runtime.clock.now() });
  return { key, replayed: false, result };
}

// Checks an execute target's input template at config load: every "{{...}}" must name a value the
// engine puts in a decision's context (engine.ts, plan()), and {{account.ids.X}} / {{contact.ids.X}}
// a configured connector X. Without it a typo fills in undefined or '' and the vendor gets an
// empty id at run time. docs/workflows.md lists the same placeholders for people.
import { RevloopError } from '../errors.js';

/** the leaf values of the context plan() builds; `ids` is the identity map, checked apart */
export const contextPaths = [
  'decisionKey',
  'account.id',
  'account.industry',
  'account.size',
  'contact.id',
  'contact.email',
  'contact.persona',
  'contact.title',
  'topic',
  'variant',
  'channel',
  'sendHour',
  'sendAt',
  'message.subject',
  'message.body',
  'message.offer',
] as const;

/** the leaf values of an offline-conversion item's context (loop/conversions.ts) */
export const conversionPaths = ['outcome.id', 'outcome.kind', 'outcome.occurredAt', 'outcome.valueMicros', 'outcome.opportunityId', 'account.id', 'contact.id', 'contact.email', 'contact.persona'] as const;

/** `{{account.ids.<connector>}}` / `{{contact.ids.<connector>}}`: the record's id in that connector's system */
const idsPath = /^(account|contact)\.ids\.([^.]+)$/;
/** what fillTemplate (template.ts) fills; anything else between braces stays as literal text */
const fillable = /^[\w.]+$/;
const anyBraces = /\{\{(.*?)\}\}/g;

/** the allowed placeholders, for an error's fix */
export function allowedPlaceholders(connectors: string[], paths: readonly string[] = contextPaths): string {
  const ids = connectors.length ? `{{account.ids.<connector>}}, {{contact.ids.<connector>}} (connectors: ${connectors.join(', ')})` : '{{account.ids.<connector>}}, {{contact.ids.<connector>}} (no connector is configured)';
  return `${paths.map((p) => `{{${p}}}`).join(', ')}, ${ids}`;
}

/** why a placeholder cannot be filled, or undefined when it can */
export function placeholderProblem(inner: string, connectors: string[], paths: readonly string[] = contextPaths): string | undefined {
  const path = inner.trim();
  if (!fillable.test(path)) {
    return /-/.test(path) && idsPath.test(path)
      ? 'a placeholder name can hold letters, digits, _ and dots only, so a connector whose name has a dash cannot be named in one'
      : 'it is not a placeholder revloop fills (a name of letters, digits, _ and dots)';
  }
  if (paths.includes(path)) return undefined;
  const ids = idsPath.exec(path);
  if (ids) return connectors.includes(ids[2]!) ? undefined : `no connector named "${ids[2]}" is configured, so the ${ids[1]} has no id there`;
  return 'the decision has no such value';
}

function visit(value: unknown, path: string, out: { path: string; text: string; inner: string }[]): void {
  if (typeof value === 'string') {
    for (const m of value.matchAll(anyBraces)) out.push({ path, text: m[0], inner: m[1]! });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => visit(v, `${path}.${i}`, out));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) visit(v, `${path}.${k}`, out);
  }
}

/** throws WORKFLOW_INVALID (bad input) at the first placeholder of `input` that cannot be filled */
export function checkTemplate(input: unknown, where: string, connectors: string[], paths: readonly string[] = contextPaths): void {
  const found: { path: string; text: string; inner: string }[] = [];
  visit(input, where, found);
  for (const p of found) {
    const problem = placeholderProblem(p.inner, connectors, paths);
    if (!problem) continue;
    throw new RevloopError('WORKFLOW_INVALID', `placeholder ${p.text} cannot be filled: ${problem}`, {
      where: p.path,
      fix: `use one of: ${allowedPlaceholders(connectors, paths)} (docs/workflows.md)`,
      kind: 'bad_input',
    });
  }
}

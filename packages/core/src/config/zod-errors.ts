// zod issues → one RevloopError that names each config path and what to do. A misspelt key names
// the closest allowed key ("did you mean"), found in the schema that refused it.
import type { z } from 'zod';
import { RevloopError } from '../errors.js';
import { closestKey } from './closest-key.js';
import { allowedKeysAt } from './schema-keys.js';

export function pathOf(prefix: readonly (string | number)[], issue: z.core.$ZodIssue): string {
  return [...prefix, ...issue.path.map(String)].join('.') || '(root)';
}

export function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')} (check the spelling; see the docs for the allowed keys)`;
  return issue.message;
}

/** what the refusing schema allows besides its own keys (a connector entry's plugin, enabled, streams) */
export interface KeyHints {
  /** the schema the issues came from: its object shapes name the allowed keys */
  schema?: z.ZodType;
  /** keys allowed at the top of that schema's value besides its own */
  extraKeys?: readonly string[];
}

/** one line per unknown key: its full path, and the closest allowed key (or the allowed ones) */
function unknownKeyLines(prefix: readonly (string | number)[], issue: z.core.$ZodIssue & { code: 'unrecognized_keys' }, hints: KeyHints): string[] {
  const allowed = hints.schema ? allowedKeysAt(hints.schema, issue.path) : new Set<string>();
  if (issue.path.length === 0) for (const k of hints.extraKeys ?? []) allowed.add(k);
  return issue.keys.map((key) => {
    const where = [...prefix, ...issue.path.map(String), key].join('.');
    const suggestion = closestKey(key, allowed);
    if (suggestion) return `${where}: unknown key "${key}": did you mean "${suggestion}"?`;
    if (allowed.size) return `${where}: unknown key "${key}" (allowed here: ${[...allowed].sort().join(', ')})`;
    return `${where}: ${describeIssue({ ...issue, keys: [key] })}`;
  });
}

export function configError(code: string, file: string, prefix: readonly (string | number)[], error: z.ZodError, fix: string, hints: KeyHints = {}): RevloopError {
  // an unknown key first: a misspelt key is often why a required one is "missing"
  const issues = [...error.issues].sort((a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'));
  const lines = issues.flatMap((i) => (i.code === 'unrecognized_keys' ? unknownKeyLines(prefix, i, hints) : [`${pathOf(prefix, i)}: ${describeIssue(i)}`]));
  const suggested = lines.map((l) => /^(\S+): unknown key "[^"]+": did you mean "([^"]+)"\?$/.exec(l)).find((m) => !!m);
  const fixText = suggested ? `rename ${suggested[1]} to ${suggested[1]!.replace(/[^.]+$/, suggested[2]!)}; ${fix}` : fix;
  return new RevloopError(code, `invalid config in ${file}:\n  ${lines.join('\n  ')}`, { where: lines[0]?.split(': ')[0], fix: fixText, kind: 'bad_input' });
}

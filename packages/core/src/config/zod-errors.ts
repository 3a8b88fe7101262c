// zod issues → one RevloopError that names each config path and what to do.
import type { z } from 'zod';
import { RevloopError } from '../errors.js';

export function pathOf(prefix: readonly (string | number)[], issue: z.core.$ZodIssue): string {
  return [...prefix, ...issue.path.map(String)].join('.') || '(root)';
}

export function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')} (check the spelling; see the docs for the allowed keys)`;
  return issue.message;
}

export function configError(code: string, file: string, prefix: readonly (string | number)[], error: z.ZodError, fix: string): RevloopError {
  const lines = error.issues.map((i) => {
    const base = pathOf(prefix, i);
    const keys = i.code === 'unrecognized_keys' ? `${base}${base === '(root)' ? '' : '.'}${i.keys[0]}` : base;
    return `${keys}: ${describeIssue(i)}`;
  });
  return new RevloopError(code, `invalid config in ${file}:\n  ${lines.join('\n  ')}`, { where: lines[0]?.split(':')[0], fix, kind: 'bad_input' });
}

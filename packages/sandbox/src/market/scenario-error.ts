// The error a bad scenario (or bad generator ranges) raises: every bad field's path and what was
// wrong with it, e.g. `accounts.count: expected a positive integer, got -3`.

export interface ScenarioIssue {
  path: string;
  message: string;
}

export class ScenarioError extends Error {
  readonly code = 'SCENARIO_INVALID';
  constructor(readonly issues: ScenarioIssue[]) {
    super(`invalid scenario: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`);
    this.name = 'ScenarioError';
  }
}

/** accounts.count, industries[1].name */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i ? '.' : ''}${String(k)}`)).join('');
}


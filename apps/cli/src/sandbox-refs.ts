// `{ $sandbox: 'hubspot.url' }` in a connector's config points it at the embedded sandbox. When a
// config uses such references, the CLI starts the sandbox (every vendor emulator on 127.0.0.1,
// fed by the simulated market) for the command's lifetime and fills the references in.
import { loadScenarioSpec, ScenarioError, ScenarioNotFoundError, startSandbox, type Sandbox, type Scenario } from '@revloop/sandbox';
import { RevloopError, type RevloopConfig } from '@revloop/core';

function isRef(v: unknown): v is { $sandbox: string } {
  return !!v && typeof v === 'object' && typeof (v as { $sandbox?: unknown }).$sandbox === 'string' && Object.keys(v).length === 1;
}

const isPlain = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;

export function usesSandbox(tree: unknown): boolean {
  if (isRef(tree)) return true;
  if (Array.isArray(tree)) return tree.some(usesSandbox);
  if (isPlain(tree)) return Object.values(tree).some(usesSandbox);
  return false;
}

/** Replace every { $sandbox: key } below `tree` by its value, in place. */
export function fillSandboxRefs(tree: Record<string, unknown> | unknown[], refs: Record<string, string>, path: string[]): void {
  for (const [key, value] of Object.entries(tree)) {
    const here = [...path, key];
    if (isRef(value)) {
      const resolved = refs[value.$sandbox];
      if (resolved === undefined) {
        throw new RevloopError('SANDBOX_REF_UNKNOWN', `the sandbox has no value "${value.$sandbox}"`, { where: here.join('.'), fix: `use one of: ${Object.keys(refs).join(', ')}`, kind: 'bad_input' });
      }
      (tree as Record<string, unknown>)[key] = resolved;
    } else if (Array.isArray(value) || isPlain(value)) {
      fillSandboxRefs(value, refs, here);
    }
  }
}

/**
 * A scenario spec (a scenario file's path, or `gen:<seed>` for a generated market) as the market's
 * scenario; a bad one is a bad_input RevloopError (exit 2) naming `where` (--scenario, sandbox.scenario).
 */
export function scenarioFromSpec(spec: string, where: string): Scenario {
  try {
    return loadScenarioSpec(spec);
  } catch (e) {
    if (e instanceof ScenarioNotFoundError) throw new RevloopError(e.code, e.message, { where, fix: e.fix, kind: 'bad_input', cause: e });
    if (e instanceof ScenarioError) {
      const field = e.issues[0]?.path;
      const fix = field === 'spec' ? 'write gen:<seed> with a whole-number seed, e.g. gen:12, or the path of a scenario JSON file' : 'correct the field named above (packages/sandbox/docs/scenario.md lists every field)';
      throw new RevloopError(e.code, e.message, { where: field && field !== 'spec' ? `${where} (${spec}): ${field}` : `${where} (${spec})`, fix, kind: 'bad_input', cause: e });
    }
    throw e;
  }
}

/** Starts the sandbox when the config's connectors or models reference it; fills the references. */
export async function sandboxFor(config: RevloopConfig): Promise<Sandbox | undefined> {
  const sections = { connectors: config.connectors, models: config.models, plugins: config.plugins };
  if (!usesSandbox(sections)) return undefined;
  if (config.sandbox?.enabled === false) {
    throw new RevloopError('SANDBOX_DISABLED', 'the config references the sandbox ($sandbox) but sandbox.enabled is false', {
      where: 'sandbox.enabled',
      fix: 'set sandbox.enabled: true, or replace the $sandbox references by real endpoints and credentials',
      kind: 'bad_input',
    });
  }
  const spec = config.sandbox?.scenario;
  const sandbox = await startSandbox({ scenario: spec === undefined ? undefined : scenarioFromSpec(spec, 'sandbox.scenario'), seed: config.sandbox?.seed });
  try {
    sandbox.advanceDay(); // day 0: the market's initial population is in the vendors' systems
    fillSandboxRefs(sections as Record<string, unknown>, sandbox.refs, []);
    return sandbox;
  } catch (e) {
    await sandbox.stop();
    throw e;
  }
}

// Secret references: `env('HUBSPOT_TOKEN')` in revloop.config.ts, `{ "$env": "HUBSPOT_TOKEN" }`
// in YAML or JSON. They are resolved at load and their values registered with the redactor.
import { RevloopError } from '../errors.js';
import type { Redactor } from '../context/redact.js';

export interface EnvRef {
  $env: string;
  /** used when the variable is not set (not a secret then: use for non-secret defaults only) */
  default?: string;
}

export function env(name: string, options: { default?: string } = {}): string {
  // typed as string so that a config reads naturally; resolved at load
  return { $env: name, ...(options.default !== undefined ? { default: options.default } : {}) } as unknown as string;
}

function isEnvRef(v: unknown): v is EnvRef {
  return !!v && typeof v === 'object' && typeof (v as EnvRef).$env === 'string' && Object.keys(v).every((k) => k === '$env' || k === 'default');
}

/** Replace every env reference in a config tree by its value; throws naming the config path. */
export function resolveSecrets(tree: unknown, source: NodeJS.ProcessEnv, redactor: Redactor, path: string[] = []): unknown {
  if (isEnvRef(tree)) {
    const value = source[tree.$env] ?? tree.default;
    if (value === undefined || value === '') {
      throw new RevloopError('CONFIG_SECRET_MISSING', `environment variable ${tree.$env} is not set`, {
        where: path.join('.') || '(root)',
        fix: `set ${tree.$env} in the environment of revloop (e.g. export ${tree.$env}=...) or change the reference in the config`,
        kind: 'bad_input',
      });
    }
    if (source[tree.$env] !== undefined) redactor.add(value);
    return value;
  }
  if (Array.isArray(tree)) return tree.map((v, i) => resolveSecrets(v, source, redactor, [...path, String(i)]));
  if (tree && typeof tree === 'object' && Object.getPrototypeOf(tree) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(tree)) out[k] = resolveSecrets(v, source, redactor, [...path, k]);
    return out;
  }
  return tree;
}

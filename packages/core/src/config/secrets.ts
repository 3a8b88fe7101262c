// Secret references: `env('HUBSPOT_TOKEN')` in revloop.config.ts, `{ "$env": "HUBSPOT_TOKEN" }`
// in YAML or JSON. They are resolved at load and their values registered with the redactor; a
// value from the environment shorter than MIN_SECRET_LENGTH is refused (SECRET_TOO_SHORT). A
// `default` is not a secret (used when the variable is unset) and is not checked.
import { RevloopError } from '../errors.js';
import { MIN_SECRET_LENGTH, type Redactor } from '../context/redact.js';

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

/** A secret this short would be redacted wherever the same letters appear, and guessed easily. */
function tooShort(name: string, length: number, path: string[]): RevloopError {
  const where = path.join('.') || '(root)';
  return new RevloopError('CONFIG_INVALID', `SECRET_TOO_SHORT: ${where}: environment variable ${name} holds ${length} character${length === 1 ? '' : 's'}; a secret needs at least ${MIN_SECRET_LENGTH}`, {
    where,
    fix: `set ${name} to the real credential (a placeholder such as "test" or "sandbox" is too short to redact safely from logs)`,
    kind: 'bad_input',
  });
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
    if (source[tree.$env] !== undefined) {
      if (value.length < MIN_SECRET_LENGTH) throw tooShort(tree.$env, value.length, path);
      redactor.add(value);
    }
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

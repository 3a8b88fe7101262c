// Secrets (values resolved from env() references, and values under secret-looking keys) are
// replaced before any text reaches a log line or the database.
export const REDACTED = '[REDACTED]';

const secretKeyPattern = /token|secret|password|authorization|api[-_]?key|cookie|credential/i;

export function isSecretKey(key: string): boolean {
  return secretKeyPattern.test(key);
}

export class Redactor {
  private readonly secrets = new Set<string>();

  /** values shorter than 4 characters are not worth hiding and would mangle text */
  add(secret: string | undefined | null): void {
    if (secret && secret.length >= 4) this.secrets.add(secret);
  }

  get size(): number {
    return this.secrets.size;
  }

  text(input: string): string {
    let out = input;
    for (const s of this.secrets) if (out.includes(s)) out = out.split(s).join(REDACTED);
    return out;
  }

  /** a deep copy with secret values and secret-looking keys redacted */
  value<T>(input: T): T {
    return redactValue(input, this, 0) as T;
  }
}

function redactValue(v: unknown, r: Redactor, depth: number): unknown {
  if (depth > 8) return v;
  if (typeof v === 'string') return r.text(v);
  if (Array.isArray(v)) return v.map((x) => redactValue(x, r, depth + 1));
  if (v && typeof v === 'object') {
    if (v instanceof Error) return { name: v.name, message: r.text(v.message) };
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = isSecretKey(k) && typeof x === 'string' ? REDACTED : redactValue(x, r, depth + 1);
    return out;
  }
  return v;
}

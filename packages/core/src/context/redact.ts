// Secrets (values resolved from env() references, tokens a connector registers at run time) are
// replaced before any text reaches a log line or the database; values under secret-looking keys
// are replaced when an object is redacted. A secret is matched as a whole token only: not where a
// letter, digit or underscore touches it, so the secret "sandbox12" leaves "mysandbox123" alone.
// Credentials inside URLs (`?hapikey=…`, `access_token=…`, `user:password@`) are redacted even when
// their value is not a known secret (redact-url.ts).
import { redactUrlCredentials } from './redact-url.js';

export const REDACTED = '[REDACTED]';

/** shorter secrets are refused at config load (SECRET_TOO_SHORT): they would match ordinary words */
export const MIN_SECRET_LENGTH = 8;

const secretKeyPattern = /token|secret|password|authorization|api[-_]?key|cookie|credential/i;

export function isSecretKey(key: string): boolean {
  return secretKeyPattern.test(key);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const wordChar = /[\p{L}\p{N}_]/u;

/** the secret, not touched by a letter, digit or underscore where its own edge is one */
function wholeToken(secret: string): string {
  const before = wordChar.test(secret[0]!) ? '(?<![\\p{L}\\p{N}_])' : '';
  const after = wordChar.test(secret.at(-1)!) ? '(?![\\p{L}\\p{N}_])' : '';
  return `${before}${escapeRegExp(secret)}${after}`;
}

export class Redactor {
  private readonly secrets = new Set<string>();
  private pattern: RegExp | undefined;

  /** values shorter than MIN_SECRET_LENGTH are ignored here (config load refuses them first) */
  add(secret: string | undefined | null): void {
    if (!secret || secret.length < MIN_SECRET_LENGTH || this.secrets.has(secret)) return;
    this.secrets.add(secret);
    this.pattern = undefined;
  }

  get size(): number {
    return this.secrets.size;
  }

  text(input: string): string {
    const urlsRedacted = redactUrlCredentials(input);
    if (!this.secrets.size) return urlsRedacted;
    return urlsRedacted.replace(this.regex(), REDACTED);
  }

  /** every secret as a whole token; the longest first, so that a secret containing another wins */
  private regex(): RegExp {
    if (!this.pattern) {
      const forms = new Set<string>();
      // as written, escaped inside a JSON string (a log line), and percent-encoded (a URL)
      for (const s of this.secrets) for (const form of [s, JSON.stringify(s).slice(1, -1), encodeURIComponent(s)]) forms.add(form);
      const alternatives = [...forms].sort((a, b) => b.length - a.length).map(wholeToken);
      this.pattern = new RegExp(alternatives.join('|'), 'gu');
    }
    return this.pattern;
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

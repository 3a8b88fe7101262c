// Every error revloop shows a person says what went wrong, where, and how to fix it.
export type ErrorKind = 'bad_input' | 'failure';

export interface ErrorDetails {
  /** config path, connector/stream, record id… */
  where?: string;
  /** what the person should do */
  fix?: string;
  /** bad input exits 2, everything else 1 */
  kind?: ErrorKind;
  cause?: unknown;
}

export class RevloopError extends Error {
  readonly code: string;
  readonly where?: string;
  readonly fix?: string;
  readonly kind: ErrorKind;

  constructor(code: string, message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'RevloopError';
    this.code = code;
    this.where = details.where;
    this.fix = details.fix;
    this.kind = details.kind ?? 'failure';
  }

  get exitCode(): 1 | 2 {
    return this.kind === 'bad_input' ? 2 : 1;
  }

  /** A multi-line text for a terminal. */
  describe(): string {
    const lines = [`error ${this.code}: ${this.message}`];
    if (this.where) lines.push(`  where: ${this.where}`);
    if (this.fix) lines.push(`  fix:   ${this.fix}`);
    return lines.join('\n');
  }

  toJSON() {
    return { code: this.code, message: this.message, where: this.where, fix: this.fix, kind: this.kind };
  }
}

export function isRevloopError(e: unknown): e is RevloopError {
  return e instanceof Error && (e as { name?: string }).name === 'RevloopError' && typeof (e as RevloopError).code === 'string';
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

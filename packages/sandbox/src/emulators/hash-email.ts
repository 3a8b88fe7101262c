import { createHash } from 'node:crypto';

/** The ad platforms' audience key: SHA-256 hex of the trimmed, lower-cased email. */
export function hashEmail(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
}

// Plugin state that holds a credential (an OAuth access token) is sealed with AES-256-GCM before it
// is stored. The key comes from the environment (REVLOOP_STATE_KEY, any string of 16 characters or
// more: a 32-byte key is derived from it with scrypt). Each value is bound to its plugin and key
// (GCM's additional data): a sealed row copied under another name does not open.
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { z } from 'zod';
import { RevloopError } from '../errors.js';

export const STATE_KEY_ENV = 'REVLOOP_STATE_KEY';
const MIN_KEY_LENGTH = 16;

/** how a sealed value is stored (JSON in plugin_state.value) */
export const sealedSchema = z.object({ $sealed: z.literal('aes-256-gcm/v1'), iv: z.string(), tag: z.string(), data: z.string() }).strict();
export type Sealed = z.infer<typeof sealedSchema>;

export interface StateCipher {
  seal(plaintext: string, binding: string): Sealed;
  /** the plaintext, or undefined when the value does not open with this key */
  open(sealed: Sealed, binding: string): string | undefined;
}

const derived = new Map<string, Buffer>();

export function isSealed(value: unknown): value is Sealed {
  return sealedSchema.safeParse(value).success;
}

/** the cipher for a key from the environment, or undefined when none is set */
export function stateCipherFrom(secret: string | undefined): StateCipher | undefined {
  if (secret === undefined || secret === '') return undefined;
  if (secret.length < MIN_KEY_LENGTH) {
    throw new RevloopError('STATE_KEY_TOO_SHORT', `${STATE_KEY_ENV} holds ${secret.length} characters; the key that seals stored tokens needs at least ${MIN_KEY_LENGTH}`, {
      where: `environment variable ${STATE_KEY_ENV}`,
      fix: `set it to a long random value, e.g. the output of \`openssl rand -base64 32\`, and keep it (tokens sealed with it open only with it)`,
      kind: 'bad_input',
    });
  }
  let key = derived.get(secret);
  if (!key) {
    key = scryptSync(secret, 'revloop/plugin-state/v1', 32);
    derived.set(secret, key);
  }
  const k = key;
  return {
    seal(plaintext, binding) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', k, iv);
      cipher.setAAD(Buffer.from(binding));
      const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return { $sealed: 'aes-256-gcm/v1', iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
    },
    open(sealed, binding) {
      try {
        const decipher = createDecipheriv('aes-256-gcm', k, Buffer.from(sealed.iv, 'base64'));
        decipher.setAAD(Buffer.from(binding));
        decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
        return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
      } catch {
        return undefined;
      }
    },
  };
}

// jsforce rethrows a failed token refresh as `new Error("Unable to refresh session due to: " +
// err.message)`: when the outbound policy refused the token URL, the refusal's code
// (OUTBOUND_REFUSED / OUTBOUND_UNRESOLVED) is gone, and the bare message passes for a dropped
// connection (a private address's "…private network address…" matches the network pattern and was
// retried up to maxRetries, each attempt refused again) or for an unknown error. The transport
// notes each refusal it raises before jsforce sees it; an error whose message ends with a noted
// refusal's message is that refusal.
import { outboundRefusal, type RevloopError } from '@revloop/core';

/** refusals kept: only the latest few can be behind the error a request is failing with */
const KEEP = 16;

export interface RefusalMemory {
  /** called by the transport with every error it raises; keeps the outbound refusals */
  note(e: unknown): void;
  /** the outbound refusal `e` is (or that jsforce rewrapped into `e`'s message), or undefined */
  behind(e: unknown, where: string): RevloopError | undefined;
}

export function refusalMemory(): RefusalMemory {
  const noted = new Map<string, unknown>();
  return {
    note(e) {
      const message = (e as Error)?.message;
      if (!message || !outboundRefusal(e, '')) return;
      noted.delete(message);
      noted.set(message, e);
      if (noted.size > KEEP) noted.delete(noted.keys().next().value!);
    },
    behind(e, where) {
      const direct = outboundRefusal(e, where);
      if (direct) return direct;
      const message = (e as Error)?.message;
      if (typeof message !== 'string') return undefined;
      for (const [text, original] of noted) if (message.endsWith(text)) return outboundRefusal(original, where);
      return undefined;
    },
  };
}

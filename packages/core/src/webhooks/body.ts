// Reads a webhook request's body under a byte limit, BEFORE anything is verified: a declared
// Content-Length over the limit is refused without reading a byte, and a streamed body is counted
// chunk by chunk and abandoned (the stream cancelled) as soon as it passes the limit, so that an
// unauthenticated sender can never make the server hold more than the limit of one request.
// (hono's bodyLimit middleware trusts a Content-Length under the limit and does not cancel the
// stream on overflow; this does both.)

export type LimitedBody =
  | { ok: true; text: string; bytes: number }
  | { ok: false; reason: 'declared' | 'streamed'; bytes: number };

export async function readBodyWithin(request: Request, maxBytes: number): Promise<LimitedBody> {
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > maxBytes) {
    return { ok: false, reason: 'declared', bytes: Number(declared) };
  }
  if (!request.body) return { ok: true, text: '', bytes: 0 };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      if (bytes > maxBytes) {
        chunks.length = 0;
        // stop pulling; whatever the sender still sends is discarded by the HTTP server
        await reader.cancel('webhook body over the limit').catch(() => undefined);
        return { ok: false, reason: 'streamed', bytes };
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  return { ok: true, text: Buffer.concat(chunks, bytes).toString('utf8'), bytes };
}

// X-HubSpot-Signature-v3: base64(HMAC-SHA256(client secret, method + uri + body + timestamp)).
import { createHmac, timingSafeEqual } from 'node:crypto';

export function signatureV3(secret: string, method: string, uri: string, body: string, timestamp: string): string {
  return createHmac('sha256', secret).update(`${method.toUpperCase()}${uri}${body}${timestamp}`, 'utf8').digest('base64');
}

/** HubSpot signs the URI with a few characters decoded (%3A → :, %2F → /, …) */
export function decodeUri(uri: string): string {
  return uri.replace(/%3A/gi, ':').replace(/%2F/gi, '/').replace(/%3F/gi, '?').replace(/%40/gi, '@').replace(/%21/gi, '!').replace(/%24/gi, '$').replace(/%27/gi, "'").replace(/%28/gi, '(').replace(/%29/gi, ')').replace(/%2A/gi, '*').replace(/%2C/gi, ',').replace(/%3B/gi, ';');
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

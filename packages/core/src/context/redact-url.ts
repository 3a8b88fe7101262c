// Credentials inside URLs, redacted whether or not revloop knows the value: a query or fragment
// parameter with a credential's name (`?hapikey=`, `access_token=`, `X-Amz-Signature=`, `key=`)
// and the password of a URL's user info (`postgres://user:pass@host`). An SDK's error message
// often quotes the URL it called; a key given inline (not through env()) is unknown to the
// redactor, and would otherwise reach sync_runs.error, logs and the terminal.
import { REDACTED } from './redact.js';

/** parameter names that carry a credential (compared lower-case, `-` and `_` alike) */
const credentialNames = new Set([
  'hapikey', 'apikey', 'api_key', 'key', 'access_token', 'accesstoken', 'refresh_token', 'id_token', 'token', 'auth', 'auth_token',
  'authorization', 'client_secret', 'secret', 'password', 'passwd', 'pwd', 'code', 'sig', 'signature', 'session', 'sessionid',
  'private_token', 'jwt', 'assertion', 'x_amz_signature', 'x_amz_credential', 'x_amz_security_token', 'x_goog_signature', 'x_goog_credential',
]);

function isCredentialName(name: string): boolean {
  const n = name.toLowerCase().replace(/-/g, '_');
  return credentialNames.has(n) || /(?:^|_)(?:token|secret|password|apikey|api_key)$/.test(n);
}

// a parameter after ? & ; or # (its name, then its value up to the next separator)
const param = /([?&;#])([A-Za-z][\w.-]{0,63})=([^&#;\s"'<>\\]+)/g;
// scheme://user:password@ (user info before a host)
const userInfo = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@:"'<>]+):([^\s/?#@"'<>]+)@/gi;

/** the text with credentials inside URLs replaced by [REDACTED] */
export function redactUrlCredentials(text: string): string {
  if (!text.includes('=') && !text.includes('@')) return text;
  return text
    .replace(param, (whole, sep: string, name: string, value: string) => (isCredentialName(name) && value !== REDACTED ? `${sep}${name}=${REDACTED}` : whole))
    .replace(userInfo, (_whole, scheme: string, user: string) => `${scheme}${user}:${REDACTED}@`);
}

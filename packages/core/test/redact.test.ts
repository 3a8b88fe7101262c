// The redactor replaces a secret only as a whole token (not inside a longer word), in every form a
// log line or URL may carry it, and ignores values too short to redact safely.
import { describe, expect, it } from 'vitest';
import { Redactor, REDACTED } from '../src/index.js';

function redactorOf(...secrets: string[]): Redactor {
  const r = new Redactor();
  for (const s of secrets) r.add(s);
  return r;
}

describe('Redactor.text', () => {
  it('leaves a word that merely contains a secret intact', () => {
    const r = redactorOf('sandboxes');
    expect(r.text('revloop sandboxes ready; mysandboxes stay; sandboxes_x stays; xsandboxes9 stays')).toBe(`revloop ${REDACTED} ready; mysandboxes stay; sandboxes_x stays; xsandboxes9 stays`);
  });

  it('redacts a secret next to punctuation: a header, a query string, JSON, quotes, line ends', () => {
    const token = 'sk-abc123def456';
    const r = redactorOf(token, 'abcd1234');
    expect(r.text(`Authorization: Bearer ${token}`)).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(r.text('GET /v3/contacts?hapikey=abcd1234&limit=10')).toBe(`GET /v3/contacts?hapikey=${REDACTED}&limit=10`);
    expect(r.text(JSON.stringify({ token, n: 1 }))).toBe(`{"token":"${REDACTED}","n":1}`);
    expect(r.text(`'${token}'\n${token}`)).toBe(`'${REDACTED}'\n${REDACTED}`);
  });

  it('redacts a secret that starts or ends with punctuation wherever it appears', () => {
    const secret = '=Xy9-long-secret!';
    expect(redactorOf(secret).text(`key${secret}tail`)).toBe(`key${REDACTED}tail`);
  });

  it('redacts a secret as escaped in a JSON string and as percent-encoded in a URL', () => {
    const secret = 'p@ss"w/rd+1234';
    const r = redactorOf(secret);
    expect(r.text(JSON.stringify({ msg: `login with ${secret} failed` }))).toBe(`{"msg":"login with ${REDACTED} failed"}`);
    expect(r.text(`https://x.test/?p=${encodeURIComponent(secret)}&a=1`)).toBe(`https://x.test/?p=${REDACTED}&a=1`);
  });

  it('prefers the longer of two overlapping secrets, and treats regex characters literally', () => {
    const r = redactorOf('token-1234', 'token-1234-extra', 'a.b*c+d?e(f)');
    expect(r.text('token-1234-extra token-1234 a.b*c+d?e(f) aXb*c+d?e(f)')).toBe(`${REDACTED} ${REDACTED} ${REDACTED} aXb*c+d?e(f)`);
  });

  it('ignores values shorter than 8 characters', () => {
    const r = redactorOf('sandbox', 'abc');
    expect(r.size).toBe(0);
    expect(r.text('revloop sandbox abc')).toBe('revloop sandbox abc');
  });

  it('redacts secret-looking keys and secret values inside objects', () => {
    const r = redactorOf('sk-abc123def456');
    expect(r.value({ clientSecret: 'short', note: 'uses sk-abc123def456', nested: [{ message: 'mysk-abc123def456x' }] })).toEqual({
      clientSecret: REDACTED,
      note: `uses ${REDACTED}`,
      nested: [{ message: 'mysk-abc123def456x' }],
    });
  });
});

describe('credentials inside URLs (issue #25 item 6)', () => {
  const r = new Redactor(); // knows no secret: an inline key or a token from a vendor's answer

  it('redacts credential parameters of a query or fragment, whatever their value', () => {
    expect(r.text('HTTP 401 from https://api.hubapi.com/crm/v3/objects/contacts?hapikey=4f1c-77ab-e2d9&limit=10')).toBe(`HTTP 401 from https://api.hubapi.com/crm/v3/objects/contacts?hapikey=${REDACTED}&limit=10`);
    expect(r.text('GET https://graph.example.com/me?fields=id&access_token=EAAB12xyz')).toBe(`GET https://graph.example.com/me?fields=id&access_token=${REDACTED}`);
    expect(r.text('https://app.example.com/cb#access_token=abc.def.ghi&token_type=bearer')).toBe(`https://app.example.com/cb#access_token=${REDACTED}&token_type=bearer`);
    expect(r.text('https://maps.googleapis.com/x?key=AIzaSyA-1234&q=a')).toBe(`https://maps.googleapis.com/x?key=${REDACTED}&q=a`);
    expect(r.text('https://b.s3.amazonaws.com/f?X-Amz-Credential=AKIA%2F2026&X-Amz-Signature=9f8e7d')).toBe(`https://b.s3.amazonaws.com/f?X-Amz-Credential=${REDACTED}&X-Amz-Signature=${REDACTED}`);
    expect(r.text('"url":"https://x.example/t?client_secret=s3cr3t-v4lue\\u0026grant_type=refresh_token"')).toContain(`client_secret=${REDACTED}`);
    expect(r.text('https://x.example/o?my_refresh_token=abc123')).toBe(`https://x.example/o?my_refresh_token=${REDACTED}`);
  });

  it('redacts the password of a URL\'s user info', () => {
    expect(r.text('connect postgres://revloop:hunter2pass@db.internal:5432/revloop failed')).toBe(`connect postgres://revloop:${REDACTED}@db.internal:5432/revloop failed`);
  });

  it('leaves ordinary parameters and text alone', () => {
    const plain = 'GET https://api.hubapi.com/crm/v3/objects/contacts?limit=100&after=200&properties=email; code ECONNRESET; a=b; user@example.com';
    expect(r.text(plain)).toBe(plain);
  });

  it('in redacted objects too (error messages, log fields)', () => {
    expect(r.value({ error: new Error('request to https://x.example/v1?api_key=k-998877 failed'), url: 'https://x.example/v1?token=t-1' })).toEqual({
      error: { name: 'Error', message: `request to https://x.example/v1?api_key=${REDACTED} failed` },
      url: `https://x.example/v1?token=${REDACTED}`,
    });
  });
});

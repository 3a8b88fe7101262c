// The server section's webhook keys (defaults, refusals) and how the URL handed to verify() is
// rebuilt: on publicBaseUrl first, from X-Forwarded-* only when trusted and well-formed.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/index.js';
import { publicUrlOf } from '../src/webhooks/public-url.js';

const internal = 'http://127.0.0.1:8787/webhooks/hs/crm-events?a=1&b=%3A';

describe('webhooks: server config', () => {
  it('has small defaults and refuses a bad publicBaseUrl or a body limit above 64 MiB', () => {
    const { server } = parseConfig({}, { env: {} }).config;
    expect(server).toEqual({ host: '127.0.0.1', port: 8787, trustForwardedHeaders: false, webhooks: { maxBodyBytes: 1_048_576, maxEvents: 1000, maxStoredPayloadBytes: 16_384 } });
    expect(parseConfig({ server: { port: 9000, webhooks: { maxEvents: 10 } } }, { env: {} }).config.server).toMatchObject({ port: 9000, webhooks: { maxBodyBytes: 1_048_576, maxEvents: 10 } });
    expect(() => parseConfig({ server: { publicBaseUrl: 'hooks.example.com' } }, { env: {} })).toThrow(/publicBaseUrl/);
    expect(() => parseConfig({ server: { publicBaseUrl: 'ftp://hooks.example.com' } }, { env: {} })).toThrow(/publicBaseUrl/);
    expect(() => parseConfig({ server: { webhooks: { maxBodyBytes: 600 * 1024 * 1024 } } }, { env: {} })).toThrow(/maxBodyBytes/);
  });

  it('rebuilds the URL on publicBaseUrl (path prefix, path and query kept), over any forwarded header', () => {
    const h = new Headers({ 'x-forwarded-proto': 'http', 'x-forwarded-host': 'other.example' });
    expect(publicUrlOf(internal, h, { publicBaseUrl: 'https://hooks.example.com' })).toBe('https://hooks.example.com/webhooks/hs/crm-events?a=1&b=%3A');
    expect(publicUrlOf(internal, h, { publicBaseUrl: 'https://hooks.example.com/revloop/', trustForwardedHeaders: true })).toBe('https://hooks.example.com/revloop/webhooks/hs/crm-events?a=1&b=%3A');
  });

  it('uses X-Forwarded-Proto / -Host only when trusted, their first value, and ignores malformed ones', () => {
    const h = new Headers({ 'x-forwarded-proto': 'https, http', 'x-forwarded-host': 'hooks.example.com:8443, proxy.internal' });
    expect(publicUrlOf(internal, h, {})).toBe(internal);
    expect(publicUrlOf(internal, h, { trustForwardedHeaders: true })).toBe('https://hooks.example.com:8443/webhooks/hs/crm-events?a=1&b=%3A');
    const bad = new Headers({ 'x-forwarded-proto': 'javascript', 'x-forwarded-host': 'evil.example/path@x' });
    expect(publicUrlOf(internal, bad, { trustForwardedHeaders: true })).toBe('http://127.0.0.1:8787/webhooks/hs/crm-events?a=1&b=%3A');
  });
});

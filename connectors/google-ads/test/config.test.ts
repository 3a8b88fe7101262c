// Config: insecure only towards loopback; defaults; the metadata-server guard.
import { describe, expect, it } from 'vitest';
import { createRuntime, parseConfig } from '@revloop/core';
import { googleAdsConfigSchema, DEFAULT_API_ENDPOINT } from '../src/config.js';

const base = { customerId: '123-456-7890', developerToken: 'dev', clientId: 'cid', clientSecret: 'sec', refreshToken: 'ref' };

describe('config', () => {
  // first: the module must not have been loaded by an earlier test of this file
  it('loading the client sets METADATA_SERVER_DETECTION=none before google-ads-api', async () => {
    delete process.env.METADATA_SERVER_DETECTION;
    const { googleAdsLib } = await import('../src/client.js');
    expect(process.env.METADATA_SERVER_DETECTION).toBe('none');
    expect(typeof googleAdsLib().GoogleAdsApi).toBe('function');
  });

  it('defaults to the real endpoint over TLS; dashes are removed from customer ids', () => {
    const c = googleAdsConfigSchema.parse(base);
    expect(c).toMatchObject({ customerId: '1234567890', apiEndpoint: DEFAULT_API_ENDPOINT, insecure: false, conversionWindowDays: 14 });
  });

  it('refuses insecure with a non-loopback endpoint', () => {
    for (const apiEndpoint of [DEFAULT_API_ENDPOINT, '10.0.0.5:443', '169.254.169.254:80', 'metadata.google.internal:80']) {
      const r = googleAdsConfigSchema.safeParse({ ...base, apiEndpoint, insecure: true });
      expect(r.success, apiEndpoint).toBe(false);
      expect(r.error!.issues[0]).toMatchObject({ path: ['insecure'], message: expect.stringContaining('loopback') });
    }
    for (const apiEndpoint of ['127.0.0.1:50051', 'localhost:1', '[::1]:8080']) {
      expect(googleAdsConfigSchema.safeParse({ ...base, apiEndpoint, insecure: true }).success, apiEndpoint).toBe(true);
    }
  });

  it('refuses unknown keys and bad values with the config path', async () => {
    expect(googleAdsConfigSchema.safeParse({ ...base, developer_token: 'x' }).success).toBe(false);
    expect(googleAdsConfigSchema.safeParse({ ...base, customerId: '12345' }).success).toBe(false);
    expect(googleAdsConfigSchema.safeParse({ ...base, apiEndpoint: 'https://googleads.googleapis.com' }).success).toBe(false);
    const { googleAdsConnector } = await import('../src/index.js');
    const loaded = parseConfig({ store: { kind: 'sqlite', path: ':memory:' }, connectors: { google: { plugin: googleAdsConnector, ...base, apiEndpoint: '10.1.2.3:443', insecure: true } } }, { baseDir: process.cwd(), env: {} });
    await expect(createRuntime(loaded)).rejects.toMatchObject({ code: 'PLUGIN_CONFIG_INVALID', message: expect.stringContaining('insecure') });
  });

});

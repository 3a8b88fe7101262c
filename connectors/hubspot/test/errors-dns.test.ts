// A HubSpot request whose host DNS cannot resolve says so, and where to look (baseUrl, DNS), rather
// than "run the sync again later". The error has the shape @hubspot/api-client 13.5.0 throws
// (node-fetch's FetchError: type "system", code and errno ENOTFOUND), recorded by failing
// dns.lookup under the real SDK.
import { describe, expect, it } from 'vitest';
import { describeFailure, vendorError } from '../src/errors.js';

function fetchError(code: string, host: string): Error {
  return Object.assign(new Error(`request to http://${host}/crm/v3/objects/contacts?limit=1 failed, reason: getaddrinfo ${code} ${host}`), { name: 'FetchError', type: 'system', code, errno: code });
}

describe('HubSpot DNS failures', () => {
  it('ENOTFOUND: the host could not be resolved; fix: the baseUrl and DNS, not "later"', () => {
    const e = vendorError('connectors.crm (check)', describeFailure(fetchError('ENOTFOUND', 'api.hubapi.con')));
    expect(e.code).toBe('HUBSPOT_HOST_UNRESOLVED');
    expect(e.message).toMatch(/^the host api\.hubapi\.con could not be resolved \(DNS ENOTFOUND\)/);
    expect(e.where).toBe('connectors.crm (check)');
    expect(e.fix).toMatch(/baseUrl/);
    expect(e.fix).not.toMatch(/again later/);
  });

  it('EAI_AGAIN: a temporary DNS failure says to check the network', () => {
    const e = vendorError('connectors.crm (check)', describeFailure(fetchError('EAI_AGAIN', 'api.hubapi.com')));
    expect(e.message).toMatch(/api\.hubapi\.com could not be resolved \(DNS EAI_AGAIN\)/);
    expect(e.fix).toMatch(/temporary DNS failure/);
  });

  it('other network failures keep their advice', () => {
    const e = vendorError('connectors.crm (sync)', describeFailure(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })));
    expect(e.code).toBe('HUBSPOT_REQUEST_FAILED');
    expect(e.fix).toMatch(/again later/);
  });
});

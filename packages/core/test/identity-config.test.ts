import { describe, expect, it } from 'vitest';
import { parseConfig, RevloopError } from '../src/index.js';

const connectors = { hubspot: { plugin: '@revloop/connector-hubspot' }, salesforce: { plugin: '@revloop/connector-salesforce' } };

function refused(identity: unknown): string {
  try {
    parseConfig({ connectors, identity }, { env: {} });
  } catch (e) {
    expect(e).toBeInstanceOf(RevloopError);
    expect((e as RevloopError).code).toBe('CONFIG_INVALID');
    return (e as RevloopError).message + '\n' + String((e as RevloopError & { details?: unknown }).where ?? '');
  }
  throw new Error('the config was accepted');
}

describe('identity config', () => {
  it('defaults to resolution by domain and email, most recent value wins', () => {
    const { config } = parseConfig({ connectors }, { env: {} });
    expect(config.identity.enabled).toBe(true);
    expect(config.identity.accounts.domainAttributes).toContain('additional_domains');
    expect(config.identity.contacts.plusAddressing).toBe(true);
  });

  it('refuses rules that name a connector that is not configured, with the path', () => {
    expect(refused({ sourcePriority: ['salesforce', 'hubspots'] })).toMatch(/identity\.sourcePriority\.1: "hubspots" is not a configured connector/);
    expect(refused({ accounts: { mappingFields: [{ system: 'hubspot', attribute: 'sfid', refersTo: 'pipedrive' }] } })).toMatch(/identity\.accounts\.mappingFields\.0\.refersTo: "pipedrive" is not a configured connector/);
  });

  it('refuses conflicting rules', () => {
    expect(refused({ sourcePriority: ['hubspot', 'hubspot'] })).toMatch(/listed twice/);
    expect(refused({ survivorship: { name: 'priority' } })).toMatch(/identity\.survivorship\.name: "priority" needs identity\.sourcePriority/);
    expect(refused({ accounts: { mappingFields: [{ system: 'hubspot', attribute: 'crm_id', refersTo: 'salesforce' }, { system: 'hubspot', attribute: 'crm_id', refersTo: 'hubspot' }] } })).toMatch(/mapped to both|must differ/);
    expect(refused({ survivorship: { name: 'oldest' } })).toMatch(/identity\.survivorship\.name/);
  });
});

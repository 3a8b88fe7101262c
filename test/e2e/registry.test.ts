import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadConfig, loadRegistry, parseConfig, CONTRACT_VERSION } from '@revloop/core';
import { referenceConnector } from '@revloop/connector-reference';
import { tempDir } from './helpers.js';

let dir: ReturnType<typeof tempDir>;
afterEach(() => dir?.cleanup());

describe('plugin registry', () => {
  it('loads plugins by package name, by path, or as an imported definition', async () => {
    // a folder inside the repository, so that the plugin module's own imports resolve like a user's would
    const inRepo = mkdtempSync(join(process.cwd(), 'node_modules', '.revloop-test-'));
    dir = { path: inRepo, cleanup: () => rmSync(inRepo, { recursive: true, force: true }) };
    writeFileSync(
      join(dir.path, 'my-connector.ts'),
      "import { referenceConnector } from '@revloop/connector-reference';\nexport default { ...referenceConnector, name: 'mine' };\n",
    );
    const loaded = parseConfig(
      {
        connectors: {
          byobject: { plugin: referenceConnector, syntheticContacts: 5 },
          bypath: { plugin: './my-connector.ts', syntheticContacts: 5 },
        },
      },
      { baseDir: dir.path, env: {} },
    );
    const registry = await loadRegistry(loaded);
    expect(registry.connectors.get('bypath')!.definition.name).toBe('mine');
    expect(registry.connectors.get('byobject')!.config).toEqual({ syntheticContacts: 5, pageSize: 500 });
  });

  it('refuses a plugin built for another contract major, naming the plugin and both versions', async () => {
    const future = { ...referenceConnector, contractVersion: '2.0.0', name: 'future-crm', version: '3.1.0' };
    const loaded = parseConfig({ connectors: { crm: { plugin: future, syntheticContacts: 1 } } }, { env: {} });
    await expect(loadRegistry(loaded)).rejects.toMatchObject({
      code: 'PLUGIN_CONTRACT_MISMATCH',
      message: expect.stringMatching(new RegExp(`future-crm.*2\\.0\\.0.*${CONTRACT_VERSION.replace(/\./g, '\\.')}`)),
      where: 'connectors.crm.plugin',
      kind: 'bad_input',
    });
  });

  it('says clearly when a plugin is not found', async () => {
    const loaded = parseConfig({ connectors: { crm: { plugin: '@revloop/connector-nonexistent' } } }, { env: {} });
    await expect(loadRegistry(loaded)).rejects.toMatchObject({ code: 'PLUGIN_NOT_FOUND', where: 'connectors.crm.plugin', fix: expect.stringContaining('pnpm add') });
  });

  it('validates a plugin instance config against the plugin schema, with the config path', async () => {
    const loaded = parseConfig({ connectors: { ref: { plugin: referenceConnector, pageSize: -1, dataDr: 'x' } } }, { env: {} });
    const err = await loadRegistry(loaded).catch((e) => e);
    expect(err.code).toBe('PLUGIN_CONFIG_INVALID');
    expect(err.message).toContain('connectors.ref.pageSize');
    expect(err.message).toContain('connectors.ref.dataDr: unknown key');
  });

  it('refuses a stream the connector does not have', async () => {
    const loaded = parseConfig({ connectors: { ref: { plugin: referenceConnector, syntheticContacts: 3, streams: ['contacts', 'deals'] } } }, { env: {} });
    await expect(loadRegistry(loaded)).rejects.toMatchObject({ code: 'CONFIG_UNKNOWN_STREAM', where: 'connectors.ref.streams' });
  });

  it('loads a plugin named by package name from a config file', async () => {
    dir = tempDir();
    writeFileSync(join(dir.path, 'revloop.config.json'), JSON.stringify({ connectors: { ref: { plugin: '@revloop/connector-reference', syntheticContacts: 2 } } }));
    // resolved from the repo (the temp folder has no node_modules): point the base at the repo root
    const loaded = await loadConfig(join(dir.path, 'revloop.config.json'));
    const registry = await loadRegistry({ ...loaded, baseDir: process.cwd() });
    expect(registry.connectors.get('ref')!.definition.kind).toBe('connector');
  });
});

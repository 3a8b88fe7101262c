// The default workflow `revloop init` writes commented out, in the .ts and the .yaml starter: with
// the `>>>` … `<<<` blocks uncommented (the leading `// ` / `# ` stripped, as a person would), the
// config loads, its plugins' configs validate, the workflow validates (actions exist, placeholders
// fill), and it is the default workflow the sandbox loop runs. A broken placeholder in it makes
// `revloop check` exit 2, naming the field, before anything is written.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, loadRegistry, validateWorkflows, workflowSchema, type LoadedConfig } from '@revloop/core';
import { useBundledPlugins, vendorSecrets as secrets } from './bundled-plugins.js';
import { starterConfig, starterFileName, type StarterFormat } from '../../apps/cli/src/starter.js';
import { defaultBrandPolicy, defaultWorkflow, vendorExecuteTargets } from '@revloop/evaluation';
import { CLI_TEST_TIMEOUT_MS, runCli } from './cli-child.js';

/** strips the comment marker of every line between a `>>>` line and the next `<<<` line */
function uncomment(text: string, format: StarterFormat): { text: string; blocks: number; lines: number } {
  const mark = format === 'ts' ? '//' : '#';
  const strip = format === 'ts' ? /^(\s*)\/\/ / : /^(\s*)# /;
  let inside = false;
  let blocks = 0;
  let lines = 0;
  const out = text.split('\n').map((line) => {
    const t = line.trim();
    if (!inside && t.startsWith(`${mark} >>>`)) {
      inside = true;
      blocks++;
      return line;
    }
    if (inside && t === `${mark} <<<`) {
      inside = false;
      return line;
    }
    if (!inside) return line;
    expect(line, 'every line of a block is commented out').toMatch(strip);
    lines++;
    return line.replace(strip, '$1');
  });
  expect(inside, 'every >>> block ends with <<<').toBe(false);
  return { text: out.join('\n'), blocks, lines };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'revloop-starter-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function loadUncommented(format: StarterFormat): Promise<LoadedConfig> {
  const { text, blocks, lines } = uncomment(starterConfig(format), format);
  expect(blocks).toBe(2); // the vendor connectors, then the models and the workflow
  expect(lines).toBeGreaterThan(40);
  writeFileSync(join(dir, starterFileName(format)), text);
  return loadConfig(undefined, dir, secrets);
}

describe('the starter config carries the default workflow, commented out', () => {
  for (const format of ['ts', 'yaml'] as const) {
    it(`${format}: as written, no workflow is enabled and it points to docs/workflows.md`, async () => {
      const text = starterConfig(format);
      expect(text).toContain('docs/workflows.md');
      expect(text).not.toContain('$sandbox');
      writeFileSync(join(dir, starterFileName(format)), text);
      const loaded = await loadConfig(undefined, dir, {});
      expect(loaded.config.workflows).toEqual({});
      expect(Object.keys(loaded.config.connectors)).toEqual(['sample']);
    });

    it(`${format}: uncommented, it loads and validates, and it is the default workflow`, async () => {
      const loaded = await loadUncommented(format);
      expect(Object.keys(loaded.config.connectors).sort()).toEqual(['google', 'hubspot', 'linkedin', 'salesforce', 'sample']);
      expect(Object.keys(loaded.config.models).sort()).toEqual(['brand', 'local']);
      // the plugins' own config schemas accept their entries; the workflow's steps find models,
      // its actions exist on enabled connectors, every placeholder is one the engine fills
      const registry = await loadRegistry(useBundledPlugins(loaded));
      expect(() => validateWorkflows(loaded.config, registry)).not.toThrow();
      expect(registry.models.get('brand')!.config).toMatchObject(defaultBrandPolicy);
      // the same workflow the sandbox loop runs (apps/cli/src/loop), with a cap of 50 a run
      expect(loaded.config.workflows.default).toEqual(workflowSchema.parse(defaultWorkflow(vendorExecuteTargets(), { maxExecutionsPerRun: 50 })));
    });
  }

  it('a misspelled placeholder in the uncommented workflow: `revloop check` exits 2 naming the field; nothing written', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
    const { text } = uncomment(starterConfig('yaml'), 'yaml');
    expect(text).toContain('- id: "{{contact.ids.hubspot}}"');
    writeFileSync(join(dir, 'revloop.config.yaml'), text.replace('- id: "{{contact.ids.hubspot}}"', '- id: "{{contact.ids.hubspt}}"'));
    const r = runCli(dir, ['check'], secrets);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('WORKFLOW_INVALID');
    expect(r.stderr).toContain('{{contact.ids.hubspt}}');
    expect(r.stderr).toContain('workflows.default.steps.6.execute.email.input.records.0.id');
    expect(r.stderr).toMatch(/fix:.*\{\{contact\.ids\.<connector>\}\} \(connectors: google, hubspot, linkedin, salesforce, sample\)/);
    expect(existsSync(join(dir, '.revloop'))).toBe(false);
  });
});

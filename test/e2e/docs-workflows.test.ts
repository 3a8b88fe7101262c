// docs/workflows.md is what a RevOps user writes workflows from, so it is held to the code: every
// YAML example with a workflow loads and validates (connectors, models, actions, placeholders), the
// placeholder table lists exactly the placeholders the validator accepts, and every action of the
// four vendor connectors is documented (and nothing else).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, loadRegistry, validateWorkflows } from '@revloop/core';
import { contextPaths } from '../../packages/core/src/workflow/template-check.js';
import { useBundledPlugins, vendorConnectorDefinitions, vendorSecrets } from './bundled-plugins.js';

const repo = resolve(import.meta.dirname, '../..');
const doc = readFileSync(join(repo, 'docs/workflows.md'), 'utf8');

/** the text of one `## N. Title` section */
function section(title: string): string {
  const start = doc.indexOf(`\n## ${title}`);
  expect(start, `section "${title}"`).toBeGreaterThan(0);
  const end = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, end < 0 ? undefined : end);
}

describe('docs/workflows.md', () => {
  it('every YAML example with a workflow loads and validates', async () => {
    const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((b) => /^workflows:/m.test(b));
    expect(blocks.length).toBeGreaterThanOrEqual(5); // email, two sales tasks, LinkedIn, Google
    const dir = mkdtempSync(join(tmpdir(), 'revloop-docs-'));
    try {
      for (const [i, block] of blocks.entries()) {
        const file = join(dir, `example-${i + 1}.yaml`);
        writeFileSync(file, block);
        const loaded = await loadConfig(file, dir, vendorSecrets);
        const registry = await loadRegistry(useBundledPlugins(loaded));
        expect(() => validateWorkflows(loaded.config, registry), `example ${i + 1}:\n${block}`).not.toThrow();
        expect(Object.keys(loaded.config.workflows)).toHaveLength(1);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the placeholder table lists exactly the placeholders the validator accepts', () => {
    const table = section('5. Placeholders');
    const listed = [...table.matchAll(/^\| `\{\{([^}]+)\}\}` \|/gm)].map((m) => m[1]!);
    expect(listed.sort()).toEqual([...contextPaths, 'account.ids.<connector>', 'contact.ids.<connector>', 'account.custom.<name>', 'contact.custom.<name>'].sort());
  });

  it('documents every action of the vendor connectors, by its name, and no other', () => {
    const documented = [...section('6. Connector actions').matchAll(/^\*\*`([a-z_-]+)`\*\*/gm)].map((m) => m[1]!);
    const actual = vendorConnectorDefinitions.flatMap((c) => (c.actions ?? []).map((a) => a.name));
    expect(documented.sort()).toEqual(actual.sort());
  });
});

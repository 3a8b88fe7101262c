// `revloop new connector NAME` writes a package that passes its own conformance test as
// generated: scaffolded inside the workspace (so that it resolves the workspace's packages),
// typechecked, and run with vitest in a child process.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newConnector, workspaceRoot } from '../src/commands/new-connector.js';

const root = workspaceRoot(process.cwd());
const name = `zz-scaffold-${process.pid}`;
const dir = join(root, 'connectors', name);
const authored = join(root, 'connectors', `zz-authored-${process.pid}`);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(authored, { recursive: true, force: true });
});

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((f) => (statSync(join(folder, f)).isDirectory() ? sourceFiles(join(folder, f)) : [join(folder, f)]));
}

/** lines of code: not blank, not a comment */
const isCode = (l: string) => !!l.trim() && !/^\s*(\/\/|\/\*\*?|\*)/.test(l);
const codeLines = (text: string) => text.split('\n').filter(isCode).length;

/**
 * Field mapping: a vendor record's zod schema (`const …Schema = z.looseObject({` to its `});`)
 * and the body of map() (to the `},` at its indentation). Counted apart from the author's code.
 */
function mappingLines(text: string): number {
  const lines = text.split('\n');
  let n = 0;
  for (let i = 0; i < lines.length; i++) {
    const start = /^(\s*)(?:const \w+Schema = z\.looseObject\(\{|(?:async )?map\()/.exec(lines[i]!);
    if (!start) continue;
    let j = i;
    while (j < lines.length && !(lines[j]!.startsWith(`${start[1]}}`) && j > i)) j++;
    n += lines.slice(i, j + 1).filter(isCode).length;
    i = j;
  }
  return n;
}

/**
 * What an author writes on top of the scaffold for a vendor with companies and contacts (the
 * kit's fake vendor): a second cursor-paged stream, its registration, contacts linked to their
 * company, and the test data. Returns the files changed.
 */
function authorCompanies(folder: string): void {
  writeFileSync(
    join(folder, 'src/streams/companies.ts'),
    `// companies: GET /v1/companies?limit&cursor → { data, next_cursor, has_more }, like contacts.
import { z } from 'zod';
import { defineStream, type UnifiedRecord } from '@revloop/core';
import { cursorPages } from '@revloop/plugin-kit/http';
import { api } from '../client.js';
import type { Config } from '../config.js';

const companySchema = z.looseObject({
  id: z.string().min(1),
  updatedAt: z.number(),
  archived: z.boolean().optional(),
  name: z.string(),
  domain: z.string().optional(),
});
const pageSchema = z.object({ data: z.array(z.unknown()), next_cursor: z.string().nullable(), has_more: z.boolean() });
const checkpointSchema = z.object({ cursor: z.string().optional() }).strict();

export default defineStream<Config, unknown, z.infer<typeof checkpointSchema>>({
  name: 'companies',
  entity: 'account',
  cursor: 'updatedAt',
  deletes: 'archived-flag',
  checkpoint: checkpointSchema,
  async *read(ctx, { checkpoint }) {
    const pages = cursorPages(api(ctx), {
      path: '/v1/companies',
      query: { limit: ctx.config.pageSize },
      from: checkpoint?.cursor,
      items: (body) => pageSchema.parse(body).data,
      next: (body) => body.next_cursor,
      hasMore: (body) => body.has_more,
      signal: ctx.signal,
    });
    for await (const page of pages) yield { records: page.items, checkpoint: { cursor: page.position } };
  },
  map(record): UnifiedRecord {
    const c = companySchema.parse(record);
    return { systemId: c.id, fields: { name: c.name, domain: c.domain ?? null }, raw: record, updatedAt: c.updatedAt, deleted: c.archived ?? false };
  },
});
`,
  );
  const edit = (file: string, from: string | RegExp, to: string) => {
    const path = join(folder, file);
    const text = readFileSync(path, 'utf8');
    const next = text.replace(from, to);
    expect(next, `${file}: the scaffold changed; update this test's edit`).not.toBe(text);
    writeFileSync(path, next);
  };
  edit('src/index.ts', "import contacts from './streams/contacts.js';", "import companies from './streams/companies.js';\nimport contacts from './streams/contacts.js';");
  edit('src/index.ts', 'streams: [contacts],', 'streams: [companies, contacts],');
  edit('src/streams/contacts.ts', '  lastName: z.string().optional(),', '  lastName: z.string().optional(),\n  companyId: z.string().optional(),');
  edit('src/streams/contacts.ts', '      raw: record,', '      links: { account: c.companyId ?? null },\n      raw: record,');
  edit('test/conformance.test.ts', /resources: \{ contacts: (.*?) \} \}\);/, "resources: { companies: [1, 2, 3, 4].map((i) => ({ id: `co${i}`, name: `Company ${i}`, domain: `c${i}.test` })), contacts: Array.from({ length: 7 }, (_, i) => ({ id: `c${i}`, email: `person${i}@example.test`, companyId: `co${(i % 4) + 1}` })) } });");
  edit('test/conformance.test.ts', "...vendor.probes({ contacts: 'contacts' }),", "...vendor.probes({ companies: 'companies', contacts: 'contacts' }),");
}

describe('revloop new connector', () => {
  it('scaffolds a package that typechecks and passes its conformance test as generated', () => {
    const result = newConnector(name, { root });
    expect(result.dir).toBe(dir);
    for (const f of ['package.json', 'tsconfig.json', 'tsup.config.ts', 'src/config.ts', 'src/client.ts', 'src/streams/contacts.ts', 'src/index.ts', 'test/conformance.test.ts', 'README.md', 'BEHAVIOR.md']) {
      expect(existsSync(join(dir, f)), f).toBe(true);
    }
    expect(readFileSync(join(dir, 'src/config.ts'), 'utf8')).toMatch(/apiKey: secret\(\)/);
    expect(readFileSync(join(dir, 'src/streams/contacts.ts'), 'utf8')).toMatch(/cursorPages\(/);

    // the author's own code, field mapping included: within the 100-line target
    const lines = sourceFiles(join(dir, 'src')).reduce((n, f) => n + codeLines(readFileSync(f, 'utf8')), 0);
    expect(lines).toBeLessThanOrEqual(100);

    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json'), '--noEmit'], { cwd: root, stdio: 'pipe' });

    const run = spawnSync(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', relative(root, dir)], { cwd: root, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } });
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.status, output.slice(-3000)).toBe(0);
    expect(output).toMatch(/Tests\s+\d+ passed/);
    expect(output).not.toMatch(/failed/);
  }, 240_000);

  it('a REST connector written from the scaffold (two cursor-paged streams, rate limited): its own code beyond field mapping within 100 lines, passing the conformance suite', () => {
    newConnector(`zz-authored-${process.pid}`, { root });
    authorCompanies(authored);
    const files = sourceFiles(join(authored, 'src'));
    const total = files.reduce((n, f) => n + codeLines(readFileSync(f, 'utf8')), 0);
    const mapping = files.reduce((n, f) => n + mappingLines(readFileSync(f, 'utf8')), 0);
    console.log(JSON.stringify({ scaffoldTarget: { files: files.length, codeLines: total, fieldMapping: mapping, beyondMapping: total - mapping } }));
    expect(mapping).toBeGreaterThan(10); // the measure found both streams' schemas and map()
    expect(total - mapping).toBeLessThanOrEqual(100);

    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(authored, 'tsconfig.json'), '--noEmit'], { cwd: root, stdio: 'pipe' });
    const run = spawnSync(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', relative(root, authored)], { cwd: root, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } });
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.status, output.slice(-3000)).toBe(0);
    expect(output).toMatch(/Tests\s+\d+ passed/);
  }, 240_000);

  it('refuses a bad name and an existing folder, saying how to fix it', () => {
    expect(() => newConnector('Acme CRM', { root })).toThrow(/not a connector name/);
    expect(() => newConnector('reference', { root })).toThrow(/already exists/);
  });
});

// The files `revloop new connector NAME` writes: a REST connector on the plugin kit's blocks (a
// secret() API key, bearer auth, a per-second rate limit, one cursor-paged stream) and a
// conformance test against the kit's fake vendor. It passes its own tests as generated.
export interface ScaffoldNames {
  /** folder and instance name, e.g. "acme-crm" */
  name: string;
  /** npm package name */
  pkg: string;
  /** a title, e.g. "Acme Crm" */
  title: string;
  /** the env variable for the key, e.g. ACME_CRM_API_KEY */
  envKey: string;
}

const packageJson = (n: ScaffoldNames) =>
  JSON.stringify(
    {
      name: n.pkg,
      version: '0.1.0',
      type: 'module',
      license: 'MIT',
      engines: { node: '>=20.19' },
      exports: { '.': { 'revloop-source': './src/index.ts', types: './dist/index.d.ts', import: './dist/index.js', default: './dist/index.js' } },
      main: './dist/index.js',
      types: './dist/index.d.ts',
      files: ['dist'],
      scripts: { build: 'tsup', test: `cd ../.. && vitest run connectors/${n.name}` },
      dependencies: { '@revloop/core': 'workspace:*', '@revloop/plugin-kit': 'workspace:*', zod: '4.6.7' },
      devDependencies: { vitest: '4.1.12' },
    },
    null,
    2,
  ) + '\n';

const tsconfig = `{
  "extends": "../../tsconfig.base.json",
  "include": ["src"]
}
`;

const tsup = `import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  dts: true,
  clean: true,
  target: 'node20',
  sourcemap: true,
});
`;

const config = (n: ScaffoldNames) => `// ${n.title}'s config: written once, the connector's config type is inferred from it.
import { z } from 'zod';
import { secret } from '@revloop/core';

export const configSchema = z
  .object({
    /** the API root, e.g. https://api.example.com */
    baseUrl: z.string().url(),
    /** users write { $env: '${n.envKey}' }; secret(): redacted from logs, errors and the store */
    apiKey: secret(),
    pageSize: z.number().int().min(1).max(100).default(100),
    /** the vendor's published rate limit (requests per second) */
    requestsPerSecond: z.number().positive().default(10),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
`;

const client = (n: ScaffoldNames) => `// Every request to ${n.title}: bearer auth, the per-second limit shared by all streams, and a
// 429's Retry-After honoured (the kit's vendorClient, on ctx.http).
import type { PluginContext } from '@revloop/core';
import { bearer, vendorClient } from '@revloop/plugin-kit/http';
import type { Config } from './config.js';

export function api(ctx: PluginContext<Config>) {
  return vendorClient(ctx, {
    baseUrl: ctx.config.baseUrl,
    auth: bearer((c) => c.config.apiKey),
    rateLimit: { windows: [{ limit: ctx.config.requestsPerSecond, intervalMs: 1000, name: 'per-second' }] },
  });
}
`;

const stream = () => `// contacts: GET /v1/contacts?limit&cursor → { data, next_cursor, has_more }, in (updatedAt, id)
// order. The cursor is durable: the last one starts the next incremental read.
import { z } from 'zod';
import { defineStream, type UnifiedRecord } from '@revloop/core';
import { cursorPages } from '@revloop/plugin-kit/http';
import { api } from '../client.js';
import type { Config } from '../config.js';

const contactSchema = z.looseObject({
  id: z.string().min(1),
  updatedAt: z.number(),
  archived: z.boolean().optional(),
  email: z.string(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
});
const pageSchema = z.object({ data: z.array(z.unknown()), next_cursor: z.string().nullable(), has_more: z.boolean() });
const checkpointSchema = z.object({ cursor: z.string().optional() }).strict();
type Checkpoint = z.infer<typeof checkpointSchema>;

export default defineStream<Config, unknown, Checkpoint>({
  name: 'contacts',
  entity: 'contact',
  cursor: 'updatedAt',
  deletes: 'archived-flag',
  checkpoint: checkpointSchema,
  async *read(ctx, { checkpoint }) {
    const pages = cursorPages(api(ctx), {
      path: '/v1/contacts',
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
    const c = contactSchema.parse(record);
    return {
      systemId: c.id,
      fields: { email: c.email.toLowerCase(), first_name: c.firstName ?? null, last_name: c.lastName ?? null },
      raw: record,
      updatedAt: c.updatedAt,
      deleted: c.archived ?? false,
    };
  },
});
`;

const index = (n: ScaffoldNames) => `// ${n.title}: a revloop connector.
import { defineConnector } from '@revloop/core';
import { api } from './client.js';
import { configSchema } from './config.js';
import contacts from './streams/contacts.js';

export const connector = defineConnector({
  name: '${n.pkg}',
  version: '0.1.0',
  description: 'Reads ${n.title} contacts.',
  config: configSchema,
  async check(ctx) {
    try {
      await api(ctx).json('/v1/me');
      return { ok: true, message: \`reached \${ctx.config.baseUrl}\` };
    } catch (e) {
      return { ok: false, message: \`${n.title} refused the request (\${(e as Error).message.slice(0, 160)}): check baseUrl and apiKey\` };
    }
  },
  streams: [contacts],
});

export default connector;
export type { Config } from './config.js';
`;

const test = (n: ScaffoldNames) => `// The plugin kit's conformance suite against the kit's fake vendor (swap in a recorded or
// emulated ${n.title} API as the connector grows).
import { describeConnectorConformance, startFakeVendor } from '@revloop/plugin-kit';
import { connector } from '../src/index.js';

describeConnectorConformance({
  connector,
  name: '${n.name}',
  // the kill -9 resume check starts the connector in a child process from this module
  child: { module: new URL('../src/index.ts', import.meta.url), exportName: 'connector' },
  skip: ['merges', 'actions'], // no merges, no actions yet: see BEHAVIOR.md
  async setup() {
    // no updatedAt given: the records share one timestamp, so paging must break ties
    const vendor = await startFakeVendor({ resources: { contacts: Array.from({ length: 7 }, (_, i) => ({ id: \`c\${i}\`, email: \`person\${i}@example.test\` })) } });
    const config = { baseUrl: vendor.url, apiKey: vendor.apiKey, pageSize: 3 };
    return {
      config,
      badCredentialsConfig: { ...config, apiKey: 'wrong-key-0123456789' },
      ...vendor.probes({ contacts: 'contacts' }),
      tick: () => vendor.clock.advance(1000),
      change() {
        vendor.clock.advance(1000);
        vendor.upsert('contacts', { id: 'c1', email: 'changed@example.test' });
        vendor.upsert('contacts', { id: 'c9', email: 'new@example.test' });
        return { contacts: 2 };
      },
      deleteOne() {
        vendor.clock.advance(1000);
        vendor.remove('contacts', 'c3');
        return { stream: 'contacts', systemId: 'c3' };
      },
      teardown: () => vendor.close(),
    };
  },
});
`;

const readme = (n: ScaffoldNames) => `# ${n.pkg}

A revloop connector for ${n.title}: syncs contacts (cursor paging, incremental, deletes).

\`\`\`ts
// revloop.config.ts
connectors: {
  ${n.name}: { plugin: '${n.pkg}', baseUrl: 'https://api.example.com', apiKey: env('${n.envKey}') },
}
\`\`\`

| key | default | |
|---|---|---|
| baseUrl | (required) | the API root |
| apiKey | (required) | secret: redacted from logs, errors and the store |
| pageSize | 100 | records per page (1..100) |
| requestsPerSecond | 10 | the vendor's published limit, shared by all streams |

Test: \`npx vitest run connectors/${n.name}\` (the conformance suite against the kit's fake vendor).
Generated by \`revloop new connector ${n.name}\`: adapt \`src/streams/contacts.ts\` (path, fields)
and the check endpoint (\`/v1/me\` in \`src/index.ts\`) to the real API, then record every vendor
gotcha in BEHAVIOR.md.
`;

const behavior = (n: ScaffoldNames) => `# ${n.title} connector: behaviour

Every vendor gotcha this connector handles, what the code does about it, and why it matters.
Replace the assumptions below with the real API's documented behaviour (and link the source).

## Paging: a durable cursor in (updatedAt, id) order
- **What**: \`GET /v1/contacts?cursor=\` returns records after the cursor's position, ordered by
  (updatedAt, id); the last page still returns its cursor (\`has_more: false\`).
- **Code**: \`cursorPages\` from \`@revloop/plugin-kit/http\`; each batch's checkpoint is the cursor
  after it, so an incremental sync and a resume both start from the last stored page.
- **Why this matters**: records sharing a timestamp across a page boundary are neither lost nor
  read twice (the conformance suite's ties check stops and resumes after every page).
- **Source**: (link the vendor's paging docs)

## Rate limit: requests per second, 429 with Retry-After
- **Code**: \`vendorClient\` keeps \`requestsPerSecond\` for all streams together and waits a 429's
  Retry-After (on the runtime's clock) before any further request.
- **Why this matters**: retrying early extends the vendor's penalty; the suite counts requests
  sent before the Retry-After passed.
- **Source**: (link the vendor's rate-limit docs)

## Deletes: archived records
- **What**: a deleted contact comes back once with \`archived: true\` (declared \`deletes: 'archived-flag'\`).
- **Why this matters**: a deletion read as an update would keep a deleted person in audiences.

## Not supported yet
- Merges (skipped in the conformance test), actions.
`;

/** relative path → contents */
export function scaffoldFiles(n: ScaffoldNames): Record<string, string> {
  return {
    'package.json': packageJson(n),
    'tsconfig.json': tsconfig,
    'tsup.config.ts': tsup,
    'src/config.ts': config(n),
    'src/client.ts': client(n),
    'src/streams/contacts.ts': stream(),
    'src/index.ts': index(n),
    'test/conformance.test.ts': test(n),
    'README.md': readme(n),
    'BEHAVIOR.md': behavior(n),
  };
}

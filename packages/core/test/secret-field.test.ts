// secret(): a config field marked secret is redacted everywhere by construction — its value is
// given to the redactor when the config is loaded, whether it came from env() or was written in
// the file under a key that does not look secret.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkConnectors, createRuntime, defineConnector, parseConfig, secret, secretValues, REDACTED, SimulatedClock } from '../src/index.js';

const schema = z
  .object({
    baseUrl: z.string().default('http://127.0.0.1:1'),
    key: secret(),
    oauth: z.object({ clientSecret: secret().optional(), clientId: z.string() }).optional(),
    extra: z.array(z.object({ pass: secret() })).default([]),
  })
  .strict()
  .refine((c) => c.baseUrl.length > 0);

describe('secretValues', () => {
  it('finds every secret() field through optional, default, refine, nested objects and arrays', () => {
    const parsed = schema.parse({ key: 'k-1234567890', oauth: { clientId: 'public-id-1', clientSecret: 'cs-1234567890' }, extra: [{ pass: 'p-1234567890' }] });
    expect(secretValues(schema, parsed).sort()).toEqual(['cs-1234567890', 'k-1234567890', 'p-1234567890']);
    expect(secretValues(schema, schema.parse({ key: 'k-1234567890' }))).toEqual(['k-1234567890']);
  });
});

describe('a loaded config redacts its secret() fields', () => {
  const lines: string[] = [];
  const connector = defineConnector({
    name: 'leaky',
    version: '0.0.0',
    config: schema,
    async check(ctx) {
      // a connector careless with its key: a log line under an innocent name, and a message
      ctx.log.info({ used: ctx.config.key, id: ctx.config.oauth?.clientId }, `calling with ${ctx.config.key}`);
      return { ok: false, message: `vendor refused key ${ctx.config.key}` };
    },
    streams: [],
  });

  it('written in the file (not env()): logs and check messages carry [REDACTED], not the value', async () => {
    const loaded = parseConfig({ store: { kind: 'sqlite', path: ':memory:' }, log: { level: 'info' }, connectors: { x: { plugin: connector, key: 'plain-key-0123456789', oauth: { clientId: 'public-id-1' } } } }, { env: {} });
    const runtime = await createRuntime(loaded, { clock: new SimulatedClock(0), logDestination: { write: (l: string) => void lines.push(l) } });
    await runtime.store.migrate();
    const [result] = await checkConnectors(runtime);
    await runtime.close();
    const everything = [...lines, result!.message].join('\n');
    expect(everything).not.toContain('plain-key-0123456789');
    expect(everything).toContain(REDACTED);
    expect(everything).toContain('public-id-1'); // not a secret: kept
  });

  it('a secret shorter than 8 characters is refused at load, with its config path', () => {
    expect(() => parseConfig({ store: { kind: 'sqlite', path: ':memory:' }, connectors: { x: { plugin: connector, key: 'short' } } }, { env: {} })).not.toThrow();
    return createRuntime(parseConfig({ store: { kind: 'sqlite', path: ':memory:' }, connectors: { x: { plugin: connector, key: 'short' } } }, { env: {} })).then(
      () => expect.unreachable('a 5-character secret was accepted'),
      (e: Error) => {
        expect(e.message).toMatch(/connectors\.x\.key: a secret needs at least 8 characters/);
        expect(e.message).not.toContain('short"');
      },
    );
  });
});

// A secret from env() never reaches a log line or the database, whatever a plugin does with it.
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { createRuntime, defineConnector, defineStream, env, parseConfig, syncStream, checkConnectors, SimulatedClock } from '@revloop/core';
import { LogSink, tempDir } from './helpers.js';

const TOKEN = 'sk-live-9f8e7d6c5b4a';

const leaky = defineConnector({
  name: 'leaky',
  version: '1.0.0',
  config: z.object({ accessToken: z.string(), region: z.string().default('eu') }).strict(),
  async check(ctx) {
    ctx.log.info({ config: ctx.config }, 'checking with config');
    ctx.log.info(`calling the API with Bearer ${ctx.config.accessToken}`);
    return { ok: false, message: `token ${ctx.config.accessToken} was refused` };
  },
  streams: [
    defineStream<{ accessToken: string }>({
      name: 'things',
      entity: 'account',
      cursor: 'n',
      deletes: 'none',
      async *read(ctx) {
        yield { records: [{ id: 'x1' }, { id: 'x2', bad: true }], checkpoint: { n: 1 } };
        throw new Error(`401 Unauthorized for token=${ctx.config.accessToken}`);
      },
      map(record: { id: string; bad?: boolean }, ctx) {
        if (record.bad) throw new Error(`cannot map with ${ctx.config.accessToken}`);
        return { systemId: record.id, fields: { name: 'X' } };
      },
    }),
  ],
});

let dir: ReturnType<typeof tempDir> | undefined;
afterEach(() => dir?.cleanup());

describe('secrets', () => {
  it('are redacted from every log line and every stored error', async () => {
    dir = tempDir();
    const sink = new LogSink();
    const loaded = parseConfig(
      { store: { kind: 'sqlite', path: join(dir.path, 'r.db') }, log: { level: 'debug' }, connectors: { leaky: { plugin: leaky, accessToken: env('LEAKY_TOKEN') } } },
      { baseDir: dir.path, env: { LEAKY_TOKEN: TOKEN } },
    );
    const runtime = await createRuntime(loaded, { clock: new SimulatedClock(0), logDestination: sink });
    await runtime.store.migrate();
    const [check] = await checkConnectors(runtime);
    expect(check!.message).toBe('token [REDACTED] was refused');
    await expect(syncStream(runtime, 'leaky', 'things')).rejects.toThrow(/\[REDACTED\]/);
    await runtime.close();

    expect(sink.lines.length).toBeGreaterThan(3);
    expect(sink.text()).not.toContain(TOKEN);
    expect(sink.text()).toContain('[REDACTED]');
    // the database file and its WAL hold no trace of the token
    for (const f of ['r.db', 'r.db-wal']) {
      try {
        expect(readFileSync(join(dir.path, f)).includes(Buffer.from(TOKEN))).toBe(false);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    }
  });
});

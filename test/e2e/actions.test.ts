import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { z } from 'zod';
import { createRuntime, defineAction, defineConnector, parseConfig, runAction, SimulatedClock } from '@revloop/core';
import { tempDir } from './helpers.js';

let writes = 0;
const crm = defineConnector({
  name: 'crm',
  version: '1.0.0',
  config: z.object({}).strict(),
  async check() {
    return { ok: true, message: 'ok' };
  },
  streams: [],
  actions: [
    defineAction({
      name: 'create-task',
      input: z.object({ contactId: z.string(), subject: z.string().min(1) }).strict(),
      idempotencyKey: (i: { contactId: string; subject: string }) => `${i.contactId}:${i.subject}`,
      async run(_ctx, input: { contactId: string; subject: string }) {
        writes++;
        return { taskId: `T-${writes}`, for: input.contactId };
      },
    }),
  ],
});

let dir: ReturnType<typeof tempDir>;
afterEach(() => dir?.cleanup());

describe('connector actions', () => {
  it('validate input, and a retried action with the same key never writes twice', async () => {
    dir = tempDir();
    const loaded = parseConfig({ store: { kind: 'sqlite', path: join(dir.path, 'r.db') }, log: { level: 'silent' }, connectors: { crm: { plugin: crm } } }, { env: {} });
    const runtime = await createRuntime(loaded, { clock: new SimulatedClock(0) });
    await runtime.store.migrate();
    const first = await runAction(runtime, 'crm', 'create-task', { contactId: 'c1', subject: 'Call about pricing' });
    const retry = await runAction(runtime, 'crm', 'create-task', { contactId: 'c1', subject: 'Call about pricing' });
    const other = await runAction(runtime, 'crm', 'create-task', { contactId: 'c2', subject: 'Call about pricing' });
    expect(first).toMatchObject({ replayed: false, result: { taskId: 'T-1' } });
    expect(retry).toMatchObject({ replayed: true, result: { taskId: 'T-1' } });
    expect(other.result).toMatchObject({ taskId: 'T-2' });
    expect(writes).toBe(2);
    await expect(runAction(runtime, 'crm', 'create-task', { contactId: 'c1', subject: '' })).rejects.toMatchObject({ code: 'ACTION_INPUT_INVALID', kind: 'bad_input' });
    await expect(runAction(runtime, 'crm', 'delete-everything', {})).rejects.toMatchObject({ code: 'ACTION_UNKNOWN' });
    expect(writes).toBe(2);
    await runtime.close();
  });
});

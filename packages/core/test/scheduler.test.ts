import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createScheduler } from '../src/index.js';

const log = pino({ level: 'silent' });

describe('scheduler', () => {
  it('starts a job after the runs in progress of the jobs it names in `after` (a decision run after a sync)', async () => {
    const order: string[] = [];
    let finishSync!: () => void;
    const s = createScheduler(
      [
        { name: 'sync', cron: '* * * * *', after: ['run'], run: () => { order.push('sync:start'); return new Promise<void>((r) => (finishSync = () => { order.push('sync:end'); r(); })); } },
        { name: 'run', cron: '* * * * *', after: ['sync'], run: async () => { order.push('run'); } },
      ],
      { log, now: () => 0 },
    );
    const sync = s.trigger('sync');
    const run = s.trigger('run');
    await new Promise((r) => setTimeout(r, 20));
    expect(order).toEqual(['sync:start']);
    finishSync();
    await Promise.all([sync, run]);
    expect(order).toEqual(['sync:start', 'sync:end', 'run']);
    await s.stop();
  });

  it('never runs two overlapping runs of one job', async () => {
    let release!: () => void;
    let runs = 0;
    const s = createScheduler([{ name: 'slow', cron: '* * * * *', run: () => { runs++; return new Promise<void>((r) => (release = r)); } }], { log, now: () => 0 });
    const first = s.trigger('slow');
    const second = await s.trigger('slow');
    expect(second.skipped).toBe(true);
    release();
    expect((await first).ok).toBe(true);
    expect(runs).toBe(1);
    await s.stop();
  });

  it('records a failed run and keeps running the other jobs', async () => {
    let good = 0;
    const s = createScheduler(
      [
        { name: 'bad', cron: '* * * * *', run: async () => { throw new Error('vendor down'); } },
        { name: 'good', cron: '* * * * *', run: async () => { good++; } },
      ],
      { log, now: () => 0 },
    );
    expect(await s.trigger('bad')).toMatchObject({ ok: false, error: 'vendor down' });
    expect(await s.trigger('good')).toMatchObject({ ok: true });
    expect(good).toBe(1);
    expect(s.history().map((h) => h.job)).toEqual(['bad', 'good']);
    await s.stop();
  });

  it('refuses an invalid cron expression', () => {
    expect(() => createScheduler([{ name: 'x', cron: '99 * * * *', run: async () => {} }], { log, now: () => 0 })).toThrow(/not a valid cron/);
  });

  it('stop() aborts the signal and waits for the run in progress', async () => {
    let finished = false;
    const s = createScheduler([{ name: 'j', cron: '* * * * *', run: (signal) => new Promise<void>((r) => signal.addEventListener('abort', () => setTimeout(() => { finished = true; r(); }, 20))) }], { log, now: () => 0 });
    void s.trigger('j');
    await s.stop();
    expect(finished).toBe(true);
  });
});

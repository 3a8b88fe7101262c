// One side of the approve-vs-serve race (approve-serve-race.test.ts), in its own process:
//   approve <db dir> <approval id>   what `revloop approvals approve` does: decide and execute
//   serve <db dir>                   what a `revloop serve` schedule does: loop cycles (no sync)
// The CRM is the test's HTTP server (VENDOR_URL): enroll POSTs a write, reconcile GETs it back.
// Each serve cycle prints its workflow summary as a JSON line; the parent ends it with SIGTERM.
import { z } from 'zod';
import { createRuntime, decideApproval, defineAction, defineConnector, parseConfig, runLoopCycle, SimulatedClock } from '@revloop/core';
import { T0, config } from './workflow-fixtures.js';

type Input = { email: string; topic: string; hour: number };
const vendor = process.env.VENDOR_URL!;

const crm = defineConnector({
  name: 'crm', version: '1.0.0', config: z.object({}).strict(), async check() { return { ok: true, message: 'ok' }; }, streams: [],
  actions: [
    defineAction({
      name: 'enroll',
      input: z.object({ email: z.string(), topic: z.string(), hour: z.number() }).strict(),
      idempotencyKey: (i: Input) => i.email,
      async run(_ctx, input: Input) {
        const r = await fetch(`${vendor}/writes`, { method: 'POST', body: JSON.stringify({ key: input.email, by: process.argv[2] }) });
        if (!r.ok) throw new Error(`vendor answered ${r.status}`);
        return r.json();
      },
      async reconcile(_ctx, input: Input) {
        const r = await fetch(`${vendor}/writes/${encodeURIComponent(input.email)}`);
        return (await r.json()) as { found: true; result: unknown } | { found: false };
      },
    }),
  ],
});

const [role, dir, approvalId] = process.argv.slice(2);
const runtime = await createRuntime(parseConfig(config(dir!, { connectors: { crm: { plugin: crm } } }), { env: {} }), { clock: new SimulatedClock(T0) });
if (role === 'approve') {
  const decided = await decideApproval(runtime, approvalId!, 'approve', 'dana@revops', 'copy reviewed');
  process.stdout.write(`${JSON.stringify(decided.execution)}\n`);
  await runtime.close();
} else {
  let stop = false;
  process.once('SIGTERM', () => (stop = true));
  while (!stop) {
    const cycle = await runLoopCycle(runtime, { ingest: false });
    const s = cycle.runs.default!;
    process.stdout.write(`${JSON.stringify({ retried: s.retried, heldElsewhere: s.heldElsewhere, executed: s.executed })}\n`);
    await new Promise((r) => setTimeout(r, 20));
  }
  await runtime.close();
}

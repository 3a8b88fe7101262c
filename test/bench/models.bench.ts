// Local models benchmark: (1) invoke throughput of the four local capabilities (intent → content
// → message → channel-time) per account decision over 50,000 synthetic AccountFeatures, against
// the same loop calling trivial constant-output functions (the loop's own overhead); (2) the
// intent classifier's learning: held-out log loss / AUC / accuracy after N feedback updates vs before.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createRuntime, parseConfig, SimulatedClock, type CapabilityDefinition, type IntentOutput, type ContentOutput, type PluginContext } from '@revloop/core';
import { localModels, IntentModel, evaluateIntent, localModelsConfigSchema } from '@revloop/plugin-local-models';
import { syntheticAccounts, syntheticFeedback } from '../../plugins/local-models/test/synthetic.js';
import { figure, type BenchFigure } from './figure.js';

const N = Number(process.env.BENCH_MODEL_ACCOUNTS ?? 50_000);
const UPDATES = Number(process.env.BENCH_MODEL_UPDATES ?? 20);

async function throughput(): Promise<BenchFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'revloop-bench-models-'));
  try {
    const loaded = parseConfig({ store: { kind: 'sqlite', path: join(dir, 'db.sqlite') }, log: { level: 'silent' }, models: { local: { plugin: localModels, seed: 1 } } }, { env: {}, baseDir: dir });
    const runtime = await createRuntime(loaded, { clock: new SimulatedClock(1_700_000_000_000) });
    await runtime.store.migrate();
    const ctx = runtime.contextFor(runtime.registry.models.get('local')!) as PluginContext<never>;
    const cap = (task: string) => localModels.capabilities.find((c) => c.task === task)! as CapabilityDefinition<never>;
    const [intent, content, message, channel] = ['intent', 'content', 'message', 'channel-time'].map(cap) as [CapabilityDefinition, CapabilityDefinition, CapabilityDefinition, CapabilityDefinition];
    const accounts = syntheticAccounts(N, 1).map((a) => a.features);
    // a trained model is the realistic case (leaf posteriors exist): learn from 5,000 decisions first
    const warm = syntheticAccounts(5_000, 2);
    await intent.update!(ctx, syntheticFeedback(warm, 2));
    await channel.update!(ctx, syntheticFeedback(warm, 3, (a) => ({ 'channel-time': { channel: 'email', sendHour: 11, expectedReward: 0 } })));

    const trivial = {
      intent: async () => ({ output: { label: 'high', score: 0.5 } }),
      content: async () => ({ output: { topic: 'product', variant: 'a' } }),
      message: async () => ({ output: { subject: 's', body: 'b', offer: false } }),
      channel: async () => ({ output: { channel: 'email', sendHour: 9, expectedReward: 0.05 } }),
    };
    type Invoke = (c: PluginContext<never>, i: any) => Promise<{ output: unknown }>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const run = async (impl: { intent: Invoke; content: Invoke; message: Invoke; channel: Invoke }) => {
      let sink = 0;
      const t0 = performance.now();
      for (const features of accounts) {
        const contact = features.contacts[0]!;
        const i = (await impl.intent(ctx, { features })).output as IntentOutput;
        const c = (await impl.content(ctx, { features, intent: i })).output as ContentOutput;
        const m = await impl.message(ctx, { features, contact, topic: c.topic, variant: c.variant, attempt: 0 });
        const ch = await impl.channel(ctx, { features, contact, topic: c.topic });
        sink += (m.output as { body: string }).body.length + ((ch.output as { sendHour: number }).sendHour ?? 0);
      }
      const ms = performance.now() - t0;
      if (sink < 0) throw new Error('unreachable');
      return (accounts.length / ms) * 1000;
    };
    const real = { intent: intent.invoke.bind(intent), content: content.invoke.bind(content), message: message.invoke.bind(message), channel: channel.invoke.bind(channel) };
    await run(real); // warm-up (JIT)
    await run(trivial);
    global.gc?.();
    const baseline = await run(trivial);
    const value = await run(real);
    await runtime.close();
    process.stderr.write(`local models: ${Math.round(value)} decisions/s (4 invokes each) vs loop overhead ${Math.round(baseline)}/s\n`);
    return [figure('local-models decisions/s (intent+content+message+channel-time)', value, 'decisions/s', baseline, { accounts: N, target: 2_000, baselineIs: 'same loop over constant-output functions' })];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function learning(): BenchFigure[] {
  const model = new IntentModel(localModelsConfigSchema.parse({}).intent);
  const heldOut = syntheticFeedback(syntheticAccounts(5_000, 900), 900);
  const before = evaluateIntent(model, heldOut);
  for (let u = 0; u < UPDATES; u++) model.train(syntheticFeedback(syntheticAccounts(250, 1_000 + u), 2_000 + u));
  const after = evaluateIntent(model, heldOut);
  process.stderr.write(`intent held-out: before ${JSON.stringify(before)}, after ${UPDATES} updates ${JSON.stringify(after)}\n`);
  const extra = { updates: UPDATES, examplesPerUpdate: 250, heldOut: heldOut.length, baselineIs: 'the prior (before any update)' };
  return [
    figure('intent held-out log loss after updates', after.logLoss, 'nats', before.logLoss, extra),
    figure('intent held-out AUC after updates', after.auc ?? 0, 'AUC', before.auc ?? 0, extra),
    figure('intent held-out accuracy after updates', after.accuracy, 'share', before.accuracy, extra),
  ];
}

export default async function (): Promise<BenchFigure[]> {
  return [...(await throughput()), ...learning()];
}

// A runtime over a temp SQLite file with an OpenAI model plugin pointed at the sandbox emulator.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRuntime, parseConfig, SimulatedClock, type ModelDefinition, type PluginContext, type Runtime } from '@revloop/core';
import { defineOpenAIModels, type ModelSpecInput, type OpenAIConfig } from '../src/index.js';

export const simModels: ModelSpecInput[] = [
  { name: 'sim-small', task: 'intent', quality: 0.6, inputPricePerMTok: 0.15, outputPricePerMTok: 0.6 },
  { name: 'sim-large', task: 'intent', quality: 0.9, inputPricePerMTok: 5, outputPricePerMTok: 15 },
  { name: 'sim-small', task: 'message', quality: 0.6, inputPricePerMTok: 0.15, outputPricePerMTok: 0.6 },
];

export async function openaiRuntime(baseURL: string, config: Record<string, unknown> = {}, models: ModelSpecInput[] = simModels, extra: Record<string, unknown> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'revloop-openai-'));
  const definition = defineOpenAIModels(models);
  const loaded = parseConfig(
    { store: { kind: 'sqlite', path: join(dir, 'db.sqlite') }, log: { level: 'silent' }, models: { openai: { plugin: definition, baseURL, apiKey: { $env: 'OPENAI_API_KEY' } as unknown as string, timeoutMs: 2_000, maxRetries: 2, ...config } }, ...extra },
    { env: { OPENAI_API_KEY: 'sk-sandbox' }, baseDir: dir },
  );
  const runtime: Runtime = await createRuntime(loaded, { clock: new SimulatedClock(1_700_000_000_000) });
  const ctx = runtime.contextFor<OpenAIConfig>(runtime.registry.models.get('openai')!) as PluginContext<OpenAIConfig>;
  const cap = (name: string, task: string) => (definition as ModelDefinition).capabilities.find((c) => (c as { model?: string }).model === name && c.task === task)!;
  return {
    runtime,
    ctx,
    cap,
    definition,
    async close() {
      await runtime.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// `revloop check`: every enabled connector's check(), each isolated from the others.
import type { Runtime } from './runtime.js';
import { errorMessage, isRevloopError } from './errors.js';
import { assertConfiguredUrls } from './context/outbound-config.js';

export interface ConnectorCheck {
  connector: string;
  ok: boolean;
  message: string;
  durationMs: number;
}

export async function checkConnectors(runtime: Runtime, timeoutMs = 30_000): Promise<ConnectorCheck[]> {
  const results: ConnectorCheck[] = [];
  for (const instance of runtime.registry.connectors.values()) {
    if (!instance.enabled) continue;
    const ctx = runtime.contextFor(instance);
    const t0 = performance.now();
    // the URLs in its config first: a refused or unresolvable address is reported without calling it
    try {
      await assertConfiguredUrls(runtime, instance);
    } catch (e) {
      const fix = isRevloopError(e) && e.fix ? `; fix: ${e.fix}` : '';
      results.push({ connector: instance.name, ok: false, message: runtime.loaded.redactor.text(`${errorMessage(e)}${fix}`), durationMs: performance.now() - t0 });
      continue;
    }
    try {
      const r = await Promise.race([
        instance.definition.check(ctx),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`check did not answer within ${timeoutMs} ms`)), timeoutMs).unref()),
      ]);
      results.push({ connector: instance.name, ok: r.ok, message: runtime.loaded.redactor.text(r.message), durationMs: performance.now() - t0 });
    } catch (e) {
      results.push({ connector: instance.name, ok: false, message: `check threw: ${runtime.loaded.redactor.text(errorMessage(e))}`, durationMs: performance.now() - t0 });
    }
  }
  return results;
}

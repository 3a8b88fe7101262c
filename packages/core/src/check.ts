// `revloop check`: every enabled connector's check(), each isolated from the others; with
// `--live`, also each connector's optional liveCheck() (read-only calls confirming version, scopes,
// allow-lists and limits of real credentials).
import type { Runtime } from './runtime.js';
import type { LiveCheckFinding } from './contract/connector.js';
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

export interface ConnectorLiveCheck extends ConnectorCheck {
  /** what the connector's liveCheck() confirmed; ok is false when one of them is not ok */
  findings: LiveCheckFinding[];
}

/** check() then liveCheck() of every enabled connector: what would fail, per connector. */
export async function liveCheckConnectors(runtime: Runtime, timeoutMs = 60_000): Promise<ConnectorLiveCheck[]> {
  const checks = await checkConnectors(runtime, timeoutMs);
  const results: ConnectorLiveCheck[] = [];
  const redact = (text: string) => runtime.loaded.redactor.text(text);
  for (const check of checks) {
    const instance = runtime.registry.connectors.get(check.connector)!;
    const t0 = performance.now();
    // a failed check is a finding of its own; the live check still runs (a wrong API version or a
    // spent allocation fails the check, and the live check says why), unless it fails the same way
    let findings: LiveCheckFinding[] = check.ok ? [] : [{ what: 'connection', ok: false, detail: check.message }];
    // a URL the outbound policy refuses is never called, not even read-only
    const urlsAllowed = check.ok || (await assertConfiguredUrls(runtime, instance).then(() => true, () => false));
    if (!instance.definition.liveCheck) {
      if (check.ok) findings = [{ what: 'live check', ok: true, unknown: true, detail: `${instance.definition.name} has no live check: only the connection was confirmed` }];
    } else if (urlsAllowed) {
      try {
        findings.push(
          ...(await Promise.race([
            instance.definition.liveCheck(runtime.contextFor(instance)),
            new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`live check did not answer within ${timeoutMs} ms`)), timeoutMs).unref()),
          ])),
        );
      } catch (e) {
        const fix = isRevloopError(e) ? e.fix : undefined;
        if (check.ok) findings.push({ what: 'live check', ok: false, detail: errorMessage(e), ...(fix ? { fix } : {}) });
      }
    }
    findings = findings.map((f) => ({ ...f, detail: redact(f.detail), ...(f.fix ? { fix: redact(f.fix) } : {}) }));
    const failed = findings.filter((f) => !f.ok);
    results.push({
      ...check,
      ok: check.ok && failed.length === 0,
      message: failed.length ? `${failed.length} of ${findings.length} would fail: ${failed.map((f) => f.what).join(', ')}` : check.message,
      durationMs: check.durationMs + (performance.now() - t0),
      findings,
    });
  }
  return results;
}

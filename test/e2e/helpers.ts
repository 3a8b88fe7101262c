// Shared helpers for cross-package tests: temp folders, a reference-connector data folder,
// a runtime over a temp SQLite file, and a log sink.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createRuntime, parseConfig, SimulatedClock, type Runtime, type RevloopConfigInput } from '@revloop/core';
import { referenceConnector } from '@revloop/connector-reference';

export function tempDir(prefix = 'revloop-'): { path: string; cleanup(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

export function writeJsonl(dir: string, file: string, records: object[]): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, file), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
}

export class LogSink extends Writable {
  lines: string[] = [];
  override _write(chunk: Buffer, _enc: string, cb: () => void) {
    this.lines.push(...chunk.toString().split('\n').filter(Boolean));
    cb();
  }
  text() {
    return this.lines.join('\n');
  }
}

export async function referenceRuntime(dir: string, extra: Partial<RevloopConfigInput> = {}, connector: Record<string, unknown> = {}, env: NodeJS.ProcessEnv = {}) {
  const sink = new LogSink();
  const loaded = parseConfig(
    {
      store: { kind: 'sqlite', path: join(dir, 'revloop.db') },
      log: { level: 'debug' },
      connectors: { ref: { plugin: referenceConnector, dataDir: join(dir, 'data'), pageSize: 2, ...connector } },
      ...extra,
    },
    { baseDir: dir, env },
  );
  const clock = new SimulatedClock(1_700_000_000_000);
  const runtime: Runtime = await createRuntime(loaded, { clock, logDestination: sink });
  await runtime.store.migrate();
  return { runtime, sink, clock };
}

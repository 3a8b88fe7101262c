// Faults (b), (c) and (d) of the chaos suite, run in the test's own process:
// (b)/(c) the calls go through a link that answers a share of the writes with an error, or drops
//   the connection, after the vendor applied them; a call that throws is called again (its record
//   stays in progress, so core reconciles first), as the workflow engine's next run would;
// (d) the calls up to the middle one are executed (the middle one with half its items: a batch
//   the vendor half applied), then every call runs from a fresh database with resume: revloop's
//   records are lost, the vendor's writes are not.
import { join } from 'node:path';
import { runAction, type ConnectorDefinition } from '@revloop/core';
import { startLinks } from './http-link.js';
import { chaosRuntime } from './runtime.js';
import type { ChaosActionCase, ChaosCall, ChaosWorld } from './types.js';

export interface InProcessOptions {
  connector: ConnectorDefinition;
  name: string;
  env?: Record<string, string>;
  clockStart?: number;
  dir: string;
  seed: number;
}

export interface InProcessResult {
  results: unknown[];
  /** faults injected (after-write runs) or records lost (record-lost run) */
  faults: number;
  /** calls that threw at least once and were called again */
  retried: number;
  /** the first error a retried call threw */
  firstError?: string;
  failed: string[];
}

/** a caller that tries again: this many attempts per call */
const ATTEMPTS = 10;

export async function runAfterWriteFaults(options: InProcessOptions, testCase: ChaosActionCase, world: ChaosWorld<unknown>, calls: ChaosCall[], fault: 'error-after' | 'drop-after', rate: number): Promise<InProcessResult> {
  const links = await startLinks(world.endpoints, { fault, rate, seed: options.seed });
  const runtime = await chaosRuntime({ ...options, config: world.config(links.urls), dbPath: join(options.dir, `${fault}.db`), clock: world.clock });
  const results: unknown[] = [];
  const failed: string[] = [];
  let retried = 0;
  let firstError: string | undefined;
  try {
    for (const [i, call] of calls.entries()) {
      for (let attempt = 1; ; attempt++) {
        try {
          results[i] = (await runAction(runtime, options.name, testCase.action, call.input)).result;
          break;
        } catch (e) {
          if (attempt === 1) retried++;
          firstError ??= (e as Error).message;
          if (attempt < ATTEMPTS) continue;
          failed.push(`call ${i}: ${(e as Error).message}`);
          break;
        }
      }
    }
    return { results, faults: links.faults(), retried, failed, ...(firstError ? { firstError } : {}) };
  } finally {
    await runtime.close();
    await links.close();
  }
}

export async function runRecordLost(options: InProcessOptions, testCase: ChaosActionCase, world: ChaosWorld<unknown>, calls: ChaosCall[]): Promise<InProcessResult> {
  const urls = Object.fromEntries(Object.entries(world.endpoints).map(([name, e]) => [name, e.url]));
  const config = world.config(urls);
  const middle = Math.floor(calls.length / 2);
  const first = await chaosRuntime({ ...options, config, dbPath: join(options.dir, 'lost.db'), clock: world.clock });
  let lost = 0;
  try {
    for (const call of calls.slice(0, middle)) {
      await runAction(first, options.name, testCase.action, call.input);
      lost++;
    }
    const half = calls[middle]!;
    const items = world.items.slice(half.from, half.to);
    if (items.length > 1) {
      await runAction(first, options.name, testCase.action, testCase.input(items.slice(0, Math.ceil(items.length / 2))));
      lost++;
    }
  } finally {
    await first.close();
  }
  const fresh = await chaosRuntime({ ...options, config, dbPath: join(options.dir, 'fresh.db'), clock: world.clock });
  const results: unknown[] = [];
  const failed: string[] = [];
  try {
    for (const [i, call] of calls.entries()) {
      try {
        results[i] = (await runAction(fresh, options.name, testCase.action, call.input, { resume: true })).result;
      } catch (e) {
        failed.push(`call ${i}: ${(e as Error).message}`);
      }
    }
  } finally {
    await fresh.close();
  }
  return { results, faults: lost, retried: 0, failed };
}

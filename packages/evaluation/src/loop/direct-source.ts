// The direct path: market events are copied into the unified model (MarketIngest) and decisions
// treat the market in-process. No vendor API in between: benchmarks measure revloop's decisions
// and learning, not vendor I/O.
import { performance } from 'node:perf_hooks';
import type { Executor } from '@revloop/core';
import { createMarket, type Scenario } from '@revloop/sandbox';
import { MarketIngest } from './market-ingest.js';
import { marketConnector, marketExecuteTargets, treatInputSchema, treatmentOf } from './market-connector.js';
import type { LoopSource } from './loop-source.js';

/** execution 'actions': through revloop's action runner (idempotency records); 'direct': market.treat() */
export function directSource(scenario: Scenario, execution: 'direct' | 'actions' = 'direct'): LoopSource {
  const market = createMarket(scenario);
  const ingest = new MarketIngest();
  market.subscribe(ingest);
  const direct: Executor = async (_connector, _action, input) => {
    const outcome = market.treat(treatmentOf(market, treatInputSchema.parse(input)));
    return { ok: true, result: { applied: !!outcome } };
  };
  return {
    via: 'direct',
    market,
    connectors: { market: { plugin: marketConnector(market) } },
    executeTargets: marketExecuteTargets('market'),
    executor: execution === 'actions' ? undefined : direct,
    async ingest(runtime) {
      const t0 = performance.now();
      const written = ingest.pending();
      await ingest.flush(runtime.store, runtime.clock.now());
      return { written, failures: [], ms: performance.now() - t0 };
    },
    async stop() {},
  };
}

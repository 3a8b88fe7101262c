// The simulated market at scale: 10,000 accounts × 90 days with a counting sink (every event is
// materialised). Baseline: the 10 s target; for events/s, the rate the 10 s target requires for
// the same events.
import { createMarket, loadScenario, type MarketEvent } from '../../packages/sandbox/src/market/index.js';
import { figure, type BenchFigure } from './figure.js';

export default async function marketSimulation(): Promise<BenchFigure[]> {
  const scenario = loadScenario({ seed: 42, days: 90, accounts: { count: 10_000 } });

  const quiet = createMarket(scenario);
  let t0 = performance.now();
  quiet.runUntil(scenario.days - 1);
  const quietS = (performance.now() - t0) / 1000;

  const market = createMarket(scenario);
  let events = 0;
  market.subscribe({ apply: (_e: MarketEvent) => void events++ });
  t0 = performance.now();
  market.runUntil(scenario.days - 1);
  const seconds = (performance.now() - t0) / 1000;
  const accountDays = scenario.accounts.count * scenario.days;

  return [
    figure('market_10k_accounts_90_days', seconds, 's', 10, { target_s: 10, events, quiet_s: Math.round(quietS * 1000) / 1000 }),
    figure('market_events_per_second', events / seconds, 'events/s', events / 10, {
      baseline_is: 'events/s needed to meet the 10 s target',
      account_days_per_s_without_sinks: Math.round(accountDays / quietS),
    }),
  ];
}

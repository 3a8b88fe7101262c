// One benchmark figure, printed by `pnpm bench` as one JSON line.
export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
  /** the same quantity for the baseline measured in the same run (or the target where no baseline applies) */
  baseline: number;
  /** value / baseline */
  ratio: number;
  /** anything else worth keeping (targets, peak RSS, sizes) */
  [extra: string]: unknown;
}

export type Benchmark = () => Promise<BenchFigure[]>;

export function figure(name: string, value: number, unit: string, baseline: number, extra: Record<string, unknown> = {}): BenchFigure {
  const round = (n: number) => Math.round(n * 1000) / 1000;
  return { name, value: round(value), unit, baseline: round(baseline), ratio: baseline === 0 ? 0 : round(value / baseline), ...extra };
}

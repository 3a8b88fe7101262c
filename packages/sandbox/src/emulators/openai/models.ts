// The simulated model catalogue: per-token prices and a classification accuracy that falls with
// item difficulty (linearly from `accuracyEasy` at difficulty 0 to `accuracyHard` at 1).
import { z } from 'zod';

export const simModelSchema = z.object({
  id: z.string().min(1),
  /** USD per 1M prompt tokens */
  inputPerMTok: z.number().min(0),
  /** USD per 1M completion tokens */
  outputPerMTok: z.number().min(0),
  accuracyEasy: z.number().min(0).max(1),
  accuracyHard: z.number().min(0).max(1),
});
export type SimModel = z.infer<typeof simModelSchema>;

export const DEFAULT_MODELS: readonly SimModel[] = [
  { id: 'sim-small', inputPerMTok: 0.15, outputPerMTok: 0.6, accuracyEasy: 0.9, accuracyHard: 0.55 },
  { id: 'sim-medium', inputPerMTok: 0.8, outputPerMTok: 3.2, accuracyEasy: 0.95, accuracyHard: 0.75 },
  { id: 'sim-large', inputPerMTok: 5, outputPerMTok: 15, accuracyEasy: 0.98, accuracyHard: 0.92 },
];

export function accuracy(model: SimModel, difficulty: number): number {
  const d = Math.min(1, Math.max(0, difficulty));
  return model.accuracyEasy + (model.accuracyHard - model.accuracyEasy) * d;
}

export function costUsd(model: SimModel, promptTokens: number, completionTokens: number): number {
  return (promptTokens * model.inputPerMTok + completionTokens * model.outputPerMTok) / 1_000_000;
}
